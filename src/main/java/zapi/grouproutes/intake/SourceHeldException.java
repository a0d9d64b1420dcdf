package zapi.grouproutes.intake;

/**
 * A source's intake is paused (a transient cause: it resumes by itself) or stopped (a person is needed), so
 * it takes no new input: what an HTTP request that would enrich is answered with (503, the cause as
 * readiness shows it, and Retry-After while paused). The cause is already redacted.
 */
public final class SourceHeldException extends Exception {

    private final boolean paused;

    public SourceHeldException(String source, boolean paused, String cause) {
        super("Source " + source + " is " + (paused ? "paused" : "stopped") + ": " + cause
                + (paused ? ". It resumes by itself once Z-API and the database answer again." : ". It needs a person; restart the service once the cause is fixed."),
                null, false, false);
        this.paused = paused;
    }

    /** Paused: try again later (Retry-After). Stopped: not before a person fixed the cause. */
    public boolean paused() {
        return paused;
    }
}

package zapi.grouproutes.app;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether one source takes new input, and if not, why: what the readiness check "intake" reports for it.
 * Three states, because an operator's next step differs: nothing to do while running, wait while paused
 * (the cause is transient and intake resumes by itself), act while stopped (the cause needs a human:
 * credentials, an unknown instance, a protocol the API refuses). A restart would fix neither of the
 * last two, so none of them touches liveness.
 *
 * <p>Causes arrive already redacted (Failure redacts them before anything else sees them).
 */
public final class IntakeStatus {

    /** Where intake stands. */
    public enum State {
        /** The application has not finished starting yet. */
        STARTING,
        /** Sources take new input. */
        RUNNING,
        /** Sources wait for a transient cause to pass; intake resumes by itself. */
        PAUSED,
        /** Sources stopped on a cause that needs a human; the service keeps running. */
        STOPPED
    }

    /** One consistent reading: state, cause and when it began. */
    public record Reading(State state, String cause, Instant since) {
    }

    private final Clock clock;
    private volatile Reading reading;

    public IntakeStatus(Clock clock) {
        this.clock = clock;
        this.reading = new Reading(State.STARTING, null, clock.instant());
    }

    public IntakeStatus() {
        this(Clock.systemUTC());
    }

    /**
     * Sources take input (at startup, and when a pause ends). A stop stays: a probe that sees Z-API answer
     * again must not report a source that a person has to restart as running.
     */
    public synchronized void running() {
        if (reading.state() != State.STOPPED) {
            reading = new Reading(State.RUNNING, null, clock.instant());
        }
    }

    /** A transient cause holds intake back; it resumes by itself. A stop stays a stop. */
    public synchronized void paused(String cause) {
        if (reading.state() != State.STOPPED) {
            reading = new Reading(State.PAUSED, cause, clock.instant());
        }
    }

    /** A cause that needs a human stopped intake. */
    public synchronized void stopped(String cause) {
        reading = new Reading(State.STOPPED, cause, clock.instant());
    }

    /** Pauses a source that takes input; true for the call that paused it, false while it is paused or stopped already. */
    synchronized boolean pause(String cause) {
        if (reading.state() == State.PAUSED || reading.state() == State.STOPPED) {
            return false;
        }
        paused(cause);
        return true;
    }

    /** Stops the source; true for the call that stopped it, false when it was stopped already. */
    synchronized boolean stop(String cause) {
        if (reading.state() == State.STOPPED) {
            return false;
        }
        stopped(cause);
        return true;
    }

    public Reading read() {
        return reading;
    }

    public State state() {
        return reading.state();
    }

    /** Why intake is paused or stopped (secrets already removed), or null while running. */
    public String cause() {
        return reading.cause();
    }

    public Instant since() {
        return reading.since();
    }
}

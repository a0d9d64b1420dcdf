package zapi.grouproutes.zapi;

/**
 * The line in front of the request budget's bucket, with a priority lane: one taker at a time reserves
 * the next slot, and when the slot is free an interactive taker (an API lookup) goes before every batch
 * taker that waits. Without it every worker reserved a slot of its own ahead of time, so a lookup arriving
 * during a big batch queued behind all of them (workers / rate seconds). The bucket is unchanged, so the
 * total rate is the budget's whichever lane a permit is for; an interactive taker waits at most for the slot
 * being waited for when it arrived, then for its own (with a wider line, the slots being waited for).
 *
 * <p>Batch takers are not starved for ever: interactive requests have their own per-key limits at the door
 * (http/ApiGate); the lane only decides who goes next.
 */
public final class PermitLine {

    /** Who asks for a permit. */
    public enum Lane {
        /** A person or a system waiting for the answer: goes first. */
        INTERACTIVE,
        /** A file, a tick, a stream: waits while interactive takers are in line. */
        BATCH
    }

    private final int width;
    private int holders;
    private int interactiveWaiting;
    private long served;

    /** One taker at a time: a local bucket reserves a slot in nanoseconds, so one at a time loses nothing. */
    public PermitLine() {
        this(1);
    }

    /**
     * Up to {@code width} takers reserving at once: for a bucket whose reservation is a database transaction
     * (zapi.rate.scope=cluster), where one at a time would cap an instance at one permit per round trip. An
     * interactive taker then waits for at most {@code width} slots reserved before it arrived.
     */
    public PermitLine(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("a line is at least one taker wide");
        }
        this.width = width;
    }

    /** Waits until it is {@code lane}'s turn to reserve the next slot; then holds the line until {@link #leave}. */
    public synchronized void enter(Lane lane) throws InterruptedException {
        if (lane == Lane.INTERACTIVE) {
            interactiveWaiting++;
            try {
                while (holders >= width) {
                    wait();
                }
            } finally {
                interactiveWaiting--;
            }
        } else {
            while (holders >= width || interactiveWaiting > 0) {
                wait();
            }
        }
        holders++;
    }

    /** The slot is reserved (or the attempt failed): the next in line may go. */
    public synchronized void leave() {
        holders--;
        served++;
        notifyAll();
    }

    /** Interactive takers waiting now (for tests and metrics). */
    public synchronized int interactiveWaiting() {
        return interactiveWaiting;
    }

    /** Permits that went through the line so far. */
    public synchronized long served() {
        return served;
    }
}

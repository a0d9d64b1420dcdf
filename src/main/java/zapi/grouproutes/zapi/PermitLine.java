package zapi.grouproutes.zapi;

/**
 * The line in front of the request budget's bucket, with a priority lane: one taker at a time reserves
 * the next slot, and when the slot is free an interactive taker (an API lookup) goes before every batch
 * taker that waits. Without it every worker reserved a slot of its own ahead of time, so a lookup arriving
 * during a big batch queued behind all of them (workers / rate seconds). The bucket is unchanged, so the
 * total rate is the budget's whichever lane a permit is for; an interactive taker waits at most for the slot
 * being waited for when it arrived, then for its own.
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

    private boolean taken;
    private int interactiveWaiting;
    private long served;

    /** Waits until it is {@code lane}'s turn to reserve the next slot; then holds the line until {@link #leave}. */
    public synchronized void enter(Lane lane) throws InterruptedException {
        if (lane == Lane.INTERACTIVE) {
            interactiveWaiting++;
            try {
                while (taken) {
                    wait();
                }
            } finally {
                interactiveWaiting--;
            }
        } else {
            while (taken || interactiveWaiting > 0) {
                wait();
            }
        }
        taken = true;
    }

    /** The slot is reserved (or the attempt failed): the next in line may go. */
    public synchronized void leave() {
        taken = false;
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

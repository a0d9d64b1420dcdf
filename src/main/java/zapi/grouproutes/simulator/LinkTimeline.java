package zapi.grouproutes.simulator;

import java.time.Duration;

/**
 * The link requests (group-invitation-link, redefine-invitation-link) as they arrive: how many, and the
 * longest pause between two of them. Held as two numbers, so a benchmark of any size can keep it.
 */
final class LinkTimeline {

    private int count;
    private long last;
    private long longestPause;

    synchronized void arrived(long nanos) {
        if (count > 0 && nanos - last > longestPause) {
            longestPause = nanos - last;
        }
        last = Math.max(last, nanos);
        count++;
    }

    synchronized int count() {
        return count;
    }

    synchronized Duration longestPause() {
        return Duration.ofNanos(longestPause);
    }
}

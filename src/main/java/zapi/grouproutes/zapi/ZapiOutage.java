package zapi.grouproutes.zapi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a passing fault from an outage. Each group that used up its retries on transient errors counts
 * one for the call that failed; an answer to that call that is not transient resets its count. The
 * calls are counted apart, because the metadata call can be down while the link call works: counted
 * together, each group's link would reset the count and every group would end PARTIAL after its full
 * retry budget. A 429 is Z-API asking for less, not Z-API being away: it neither counts nor resets; nor
 * does a request that found no free pooled connection, which never reached Z-API.
 * At the limit, the next group stops the batch with a {@link ZapiUnreachableException} instead of
 * spending the whole retry budget again on each of thousands of IDs.
 */
public final class ZapiOutage {

    private final int limit;
    private final Map<String, Streak> streaks = new ConcurrentHashMap<>();

    /** Groups given up in a row on one call, and the last cause. */
    private static final class Streak {
        int givenUp;
        ZapiTransientException last;
    }

    public ZapiOutage(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("zapi.outage.groups-in-a-row must be at least 1");
        }
        this.limit = limit;
    }

    /** A group's last retry failed with this transient error. */
    public void gaveUp(ZapiTransientException cause) {
        if (cause.rateLimited() || cause.neverSent()) {
            return;
        }
        Streak streak = streaks.computeIfAbsent(cause.operation(), operation -> new Streak());
        synchronized (streak) {
            streak.givenUp++;
            streak.last = cause;
        }
    }

    /** Z-API answered {@code operation} with something other than a transient error. */
    public void answered(String operation) {
        Streak streak = streaks.get(operation);
        if (streak != null) {
            synchronized (streak) {
                streak.givenUp = 0;
            }
        }
    }

    /** Forgets every count: for whatever resumes intake after the cause is gone. */
    public void reset() {
        streaks.clear();
    }

    /** Called before each group: throws once {@code limit} groups in a row were given up on one call. */
    public void ensureReachable() {
        for (Streak streak : streaks.values()) {
            int given;
            ZapiTransientException cause;
            synchronized (streak) {
                given = streak.givenUp;
                cause = streak.last;
            }
            if (given >= limit) {
                throw new ZapiUnreachableException("Z-API unreachable: " + given + " groups in a row failed after all retries"
                        + " (last: " + cause.getMessage() + "); check ZAPI_BASE_URL and the instance's status",
                        cause.errorCode(), cause.zapiError());
            }
        }
    }
}

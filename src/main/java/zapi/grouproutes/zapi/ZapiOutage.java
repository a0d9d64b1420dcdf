package zapi.grouproutes.zapi;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells a passing fault from an outage. Each group that used up its retries on transient errors counts
 * one; any answer that is not transient resets the count. At the limit, the next group stops the batch
 * instead of spending the whole retry budget again on each of thousands of IDs.
 */
public final class ZapiOutage {

    private final int limit;
    private final AtomicInteger groupsGivenUpInARow = new AtomicInteger();
    private final AtomicReference<ZapiTransientException> last = new AtomicReference<>();

    public ZapiOutage(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("zapi.outage.groups-in-a-row must be at least 1");
        }
        this.limit = limit;
    }

    /** A group's last retry failed with this transient error. */
    public void gaveUp(ZapiTransientException cause) {
        last.set(cause);
        groupsGivenUpInARow.incrementAndGet();
    }

    /** Z-API answered something other than a transient error. */
    public void answered() {
        groupsGivenUpInARow.set(0);
    }

    /** Called before each group: throws once {@code limit} groups in a row were given up. */
    public void ensureReachable() {
        int given = groupsGivenUpInARow.get();
        if (given >= limit) {
            ZapiTransientException cause = last.get();
            throw new ZapiSystematicException("Z-API unreachable: " + given + " groups in a row failed after all retries"
                    + " (last: " + cause.getMessage() + "); check ZAPI_BASE_URL and the instance's status",
                    cause.errorCode(), cause.zapiError());
        }
    }
}

package zapi.grouproutes.zapi;

/**
 * The Z-API request-rate limit in force now, in requests per second. Today it is the
 * {@code zapi.rate.requests-per-second} setting; a limiter that adapts the rate (to 429s, say) sets it
 * here, and whatever reports the limit (the {@code zapi_rate_limit_requests_per_second} gauge) reads it
 * here, so the two cannot disagree.
 */
public final class RequestRate {

    private volatile double perSecond;

    public RequestRate(double perSecond) {
        set(perSecond);
    }

    public double perSecond() {
        return perSecond;
    }

    public void set(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a request rate must be a positive number, not " + perSecond);
        }
        this.perSecond = perSecond;
    }
}

package zapi.grouproutes.zapi;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Z-API request-rate limit in force now, in requests per second: the {@code zapi.rate.requests-per-second}
 * setting, or with {@code auto} what {@link AdaptiveRate} decided last. The budget sets it here, and whatever
 * reports the limit (the {@code zapi_rate_limit_requests_per_second} gauge, the log) reads it here, so the
 * two cannot disagree.
 * <p>
 * A change of more than 20% from the last rate logged is logged at INFO: an adaptive rate moves a little
 * every quarter second, and a line per move would bury the log, while a line per fifth still shows slow
 * start, each real back-off and a limit that moved.
 */
public final class RequestRate {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRate.class);
    private static final double LOGGED_CHANGE = 0.2;

    private volatile double perSecond;
    private double logged;

    public RequestRate(double perSecond) {
        check(perSecond);
        this.perSecond = perSecond;
        this.logged = perSecond;
    }

    public double perSecond() {
        return perSecond;
    }

    public synchronized void set(double perSecond) {
        check(perSecond);
        this.perSecond = perSecond;
        if (Math.abs(perSecond - logged) > LOGGED_CHANGE * logged) {
            LOG.info("Z-API request rate now {} requests/s ({} from {} at the last line; zapi.rate.requests-per-second=auto)",
                    format(perSecond), perSecond > logged ? "up" : "down", format(logged));
            logged = perSecond;
        }
    }

    private static String format(double rate) {
        return String.format(Locale.ROOT, rate < 10 ? "%.2f" : "%.1f", rate);
    }

    private static void check(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a request rate must be a positive number, not " + perSecond);
        }
    }
}

package zapi.grouproutes.zapi;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;

/**
 * The one request budget every HTTP request to Z-API draws from, once per request: first tries, the
 * routes' retries, the 405 fallback's second method and the 415 retry alike. {@link ZapiClient} takes a
 * permit right before each {@code HttpClient.send}, because only there is every request seen; a limit
 * in a route before the call let the client's second requests through uncounted.
 * <ul>
 * <li>A Bucket4j token bucket, refilled greedily at the rate (one token every 1/rate s, so fractional
 * rates work) and holding at most {@link #burst(double)} tokens. Any 1-second window then holds at
 * most rate + burst requests: what was saved up plus what one second refills. The burst is small on
 * purpose (a tenth of a second's requests, at least 1): it absorbs a late worker without letting
 * saved-up permits leave together.</li>
 * <li>A {@code Retry-After} moves the next free slot past the pause for every worker at once: a
 * "not before" instant checked before a permit is taken. A worker whose slot, reserved before the 429,
 * falls inside the pause gives it up and queues again after the pause, so the pause's end is paced by
 * the same bucket (at most burst at once, then one per 1/rate s) instead of releasing every waiting
 * worker in the same millisecond.</li>
 * <li>The rate is the setting's, or with {@code auto} whatever {@link AdaptiveRate} decides from the answers
 * ({@link #answered}): the bucket's configuration is replaced with each decision, keeping its tokens, so
 * the cap above holds for the rate in force at every moment.</li>
 * </ul>
 */
public final class RequestBudget {

    /** Assumed until the first answer: sizes the workers for a slow API rather than a fast one. */
    private static final long FIRST_LATENCY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Weight of each answer in the latency average: about the last 20 answers count. */
    private static final double LATENCY_WEIGHT = 0.05;
    /**
     * Bucket4j tokens per request. Replacing the configuration drops the refill's progress towards the next
     * token: with one token per request that was up to a whole request per new rate, and an adaptive rate
     * of 5/s replaced every quarter second sent 4/s. At a thousand per request it is a thousandth.
     */
    private static final long TOKENS = 1000;

    private final RequestRate rate;
    private final AdaptiveRate adaptive;
    private final Bucket bucket;
    private final AtomicLong notBeforeNanos = new AtomicLong(System.nanoTime());
    private volatile double latencyNanos = FIRST_LATENCY_NANOS;

    /** A fixed rate: the cap never moves. */
    public RequestBudget(double requestsPerSecond) {
        this(requestsPerSecond, null);
    }

    /** A rate that {@code adaptive} decides, from its initial rate on. */
    public RequestBudget(AdaptiveRate adaptive) {
        this(adaptive.rate(), adaptive);
    }

    private RequestBudget(double requestsPerSecond, AdaptiveRate adaptive) {
        this.rate = new RequestRate(requestsPerSecond);
        this.adaptive = adaptive;
        this.bucket = Bucket.builder().withNanosecondPrecision().addLimit(limit(requestsPerSecond)).build();
    }

    private static Bandwidth limit(double requestsPerSecond) {
        long burst = burst(requestsPerSecond);
        // rounded up: a slot a nanosecond late never lets a window exceed the rate
        long nanosPerRequest = Math.max(1, (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) / requestsPerSecond));
        return Bandwidth.builder().capacity(burst * TOKENS).refillGreedy(TOKENS, Duration.ofNanos(nanosPerRequest))
                .initialTokens(burst * TOKENS).build();
    }

    /** Requests that may leave together on top of the rate: a tenth of a second's worth, at least one. */
    public static long burst(double requestsPerSecond) {
        return Math.max(1, (long) Math.ceil(requestsPerSecond / 10));
    }

    /** The rate in force, for whatever reports it (the {@code zapi_rate_limit_requests_per_second} gauge). */
    public RequestRate rate() {
        return rate;
    }

    /** The highest rate this budget may reach: the adaptive rate's maximum, or the fixed rate. */
    public double maxRate() {
        return adaptive == null ? rate.perSecond() : adaptive.max();
    }

    /** Whether the rate follows the API's 429s ({@code auto}) rather than a fixed setting. */
    public boolean adaptive() {
        return adaptive != null;
    }

    /** The recent time from a request's start to its answer: what the workers are sized by (Little's law). */
    public Duration latency() {
        return Duration.ofNanos((long) latencyNanos);
    }

    /** Blocks until one more request may start now; call it once per HTTP request, right before sending. */
    public void take() throws InterruptedException {
        while (true) {
            long notBefore = notBeforeNanos.get();
            long pause = notBefore - System.nanoTime();
            if (pause > 0) {
                TimeUnit.NANOSECONDS.sleep(pause);
            }
            boolean heldBack = !bucket.tryConsume(TOKENS);
            if (heldBack) {
                bucket.asBlocking().consume(TOKENS);
            }
            long now = System.nanoTime();
            if (now - notBeforeNanos.get() >= 0) {
                if (adaptive != null) {
                    adaptive.permitted(heldBack, now);
                }
                return;
            }
            // a Retry-After came while this worker waited for its slot: the slot fell inside the pause,
            // so it is given up (spent, which only makes the budget stricter) and a new one is taken after it
        }
    }

    /**
     * Z-API answered (any HTTP status) a request sent at {@code sentAtNanos}: the latency average takes it,
     * and an adaptive rate hears whether it was a 429. Requests that got no answer (timeouts, refused
     * connections) say nothing about the rate limit and are not reported.
     */
    public void answered(int status, long sentAtNanos) {
        long now = System.nanoTime();
        // not atomic: two answers at the same moment may lose one sample of an average, nothing more
        latencyNanos += LATENCY_WEIGHT * ((now - sentAtNanos) - latencyNanos);
        if (adaptive == null) {
            return;
        }
        // one decision applied at a time, so the bucket ends with the latest one
        synchronized (this) {
            double decided = adaptive.answered(status == 429, sentAtNanos, now);
            if (decided != rate.perSecond()) {
                apply(decided);
            }
        }
    }

    /** The bucket refills at {@code requestsPerSecond} from now on, and the rate in force says so. */
    synchronized void apply(double requestsPerSecond) {
        // tokens as they are (a deficit of reserved slots stays a deficit), capped at the new burst
        bucket.replaceConfiguration(BucketConfiguration.builder().addLimit(limit(requestsPerSecond)).build(), TokensInheritanceStrategy.AS_IS);
        rate.set(requestsPerSecond);
    }

    /** Z-API asked to wait: no request starts before {@code wait} from now, for every worker. Never shortens a pause. */
    public void pauseFor(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        notBeforeNanos.accumulateAndGet(until, (current, proposed) -> proposed - current > 0 ? proposed : current);
    }
}

package zapi.grouproutes.zapi;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <li>With {@code zapi.rate.scope=cluster} the bucket is a row in the database ({@link ClusterBudget}), the same
 * for every instance on it: the cap holds for all of them together, and its configuration is the one rate
 * in force. A 429's pause and its cut reach the other instances through the control row. A permit is one
 * database transaction (reserve a slot, then sleep until it locally); a permit that cannot reach the database
 * waits for it as the sink's writes do, then fails as a transient error (retried by the routes; the outage
 * rules stop a batch that cannot go on), rather than wait forever or go unlimited.</li>
 * </ul>
 */
public final class RequestBudget {

    private static final Logger LOG = LoggerFactory.getLogger(RequestBudget.class);
    /** The outage guard counts failures per operation: a budget that cannot be reached is one of its own. */
    static final String OPERATION = "request-budget";

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
    private final ClusterBudget cluster;
    private final Bucket bucket;
    private final AtomicLong notBeforeNanos = new AtomicLong(System.nanoTime());
    /**
     * Shared, a reservation is a database round trip (a few ms): four at once let one instance reach several
     * hundred permits per second, and an interactive permit waits behind at most four.
     */
    static final int SHARED_LINE_WIDTH = 4;
    private final PermitLine line;
    private volatile double latencyNanos = FIRST_LATENCY_NANOS;
    /** The send time (wall clock, ms) of the latest 429 this instance cut for or heard of: older ones are not news. */
    private long limitedHeardMillis;
    /** The rate of the shared bucket at the last look at it, or 0 before one. */
    private volatile double sharedRate;

    /** A fixed rate: the cap never moves. */
    public RequestBudget(double requestsPerSecond) {
        this(requestsPerSecond, null, null);
    }

    /** A rate that {@code adaptive} decides, from its initial rate on. */
    public RequestBudget(AdaptiveRate adaptive) {
        this(adaptive.rate(), adaptive, null);
    }

    /**
     * A budget shared through {@code cluster}; {@code adaptive} null for a fixed {@code requestsPerSecond}.
     * A fixed rate replaces the shared one (the instance started last brings the setting); an adaptive one
     * starts at the rate the shared bucket holds, found by the instances before it, rather than at its
     * initial rate, whose rises would pull the others' rate down.
     */
    public static RequestBudget shared(ClusterBudget cluster, double requestsPerSecond, AdaptiveRate adaptive) {
        Optional<BucketConfiguration> existing = cluster.configuration();
        double start = requestsPerSecond;
        if (adaptive != null && existing.isPresent()) {
            adaptive.adopt(rateOf(existing.get()));
            start = adaptive.rate();
        }
        RequestBudget budget = new RequestBudget(start, adaptive, cluster);
        if (existing.isPresent() && rateOf(existing.get()) != start) {
            budget.apply(start);
        }
        return budget;
    }

    private RequestBudget(double requestsPerSecond, AdaptiveRate adaptive, ClusterBudget cluster) {
        this.rate = new RequestRate(requestsPerSecond);
        this.adaptive = adaptive;
        this.cluster = cluster;
        this.line = cluster == null ? new PermitLine() : new PermitLine(SHARED_LINE_WIDTH);
        this.bucket = cluster == null ? Bucket.builder().withNanosecondPrecision().addLimit(limit(requestsPerSecond)).build()
                : cluster.bucket(() -> configuration(requestsPerSecond));
    }

    private static BucketConfiguration configuration(double requestsPerSecond) {
        return BucketConfiguration.builder().addLimit(limit(requestsPerSecond)).build();
    }

    /** The rate a configuration made by {@link #limit} refills at. */
    static double rateOf(BucketConfiguration configuration) {
        Bandwidth bandwidth = configuration.getBandwidths()[0];
        return Math.round(TimeUnit.SECONDS.toNanos(1) / (double) bandwidth.getRefillPeriodNanos() * bandwidth.getRefillTokens() / TOKENS * 1e4) / 1e4;
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

    /** Whether the bucket is the database's, shared by the instances on it ({@code zapi.rate.scope=cluster}). */
    public boolean shared() {
        return cluster != null;
    }

    /** Whether the rate follows the API's 429s ({@code auto}) rather than a fixed setting. */
    public boolean adaptive() {
        return adaptive != null;
    }

    /** The recent time from a request's start to its answer: what the workers are sized by (Little's law). */
    public Duration latency() {
        return Duration.ofNanos((long) latencyNanos);
    }

    /** Blocks until one more request of a batch or stream may start now: {@link #take(PermitLine.Lane)} in the batch lane. */
    public void take() throws InterruptedException {
        take(PermitLine.Lane.BATCH);
    }

    /**
     * Blocks until one more request may start now; call it once per HTTP request, right before sending. An
     * interactive request takes the next slot before every batch request that waits ({@link PermitLine});
     * either way the slot comes from the one bucket, so the rate holds for both lanes together.
     */
    public void take(PermitLine.Lane lane) throws InterruptedException {
        line.enter(lane);
        try {
            takeInLine();
        } finally {
            line.leave();
        }
    }

    /** The line, for whatever reports who waits in it. */
    public PermitLine line() {
        return line;
    }

    private void takeInLine() throws InterruptedException {
        while (true) {
            if (cluster != null) {
                hear(cluster.poll());
            }
            long notBefore = notBeforeNanos.get();
            long pause = notBefore - System.nanoTime();
            if (pause > 0) {
                TimeUnit.NANOSECONDS.sleep(pause);
            }
            boolean heldBack = consume();
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
            double before = rate.perSecond();
            if (status == 429) {
                cutFromTheSharedRate(sentAtNanos);
            }
            double decided = adaptive.answered(status == 429, sentAtNanos, now);
            if (decided != before) {
                apply(decided);
            }
            if (cluster != null && status == 429 && decided < before) {
                // this instance cut: the others hear of it at their next look at the control row and cut too
                long sentMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(now - sentAtNanos);
                limitedHeardMillis = Math.max(limitedHeardMillis, sentMillis);
                cluster.limited(sentMillis, adaptive.ceiling(), decided);
            }
        }
    }

    /**
     * One slot from the bucket, waiting for it if it is not free now; returns whether it had to wait. One
     * reservation (one database transaction when shared), then a local sleep until the slot.
     */
    private boolean consume() throws InterruptedException {
        boolean[] waited = new boolean[1];
        BlockingStrategy sleep = nanos -> {
            waited[0] = nanos > 0;
            BlockingStrategy.PARKING.park(nanos);
        };
        if (cluster == null) {
            bucket.asBlocking().consume(TOKENS, sleep);
        } else {
            cluster.run(() -> bucket.asBlocking().consume(TOKENS, sleep));
        }
        return waited[0];
    }

    /**
     * Shared, a cut is a cut of the rate the bucket is at (the instances' decisions take turns to set it), not of
     * this instance's last decision, and the others take the same cut ({@link AdaptiveRate#heardCut}): so their
     * curves back agree instead of drifting apart (measured: 65, 28 and 12.5 requests/s for three instances
     * that each cut a rate of their own).
     */
    private void cutFromTheSharedRate(long sentAtNanos) {
        double shared = sharedRate;
        if (cluster != null && shared > 0 && adaptive.newEpisode(sentAtNanos)) {
            adaptive.follow(shared);
        }
    }

    /** What another instance told through the control row: its pause, and a 429 it cut for; and the rate the bucket is at. */
    private void hear(ClusterBudget.Control control) {
        if (control == null) {
            return;
        }
        if (control.bucket() != null) {
            sharedRate = rateOf(control.bucket());
        }
        long offsetMillis = control.pausedUntilMillis() - System.currentTimeMillis();
        if (offsetMillis > 0) {
            pauseFor(Duration.ofMillis(offsetMillis), false);
        }
        if (adaptive == null) {
            return;
        }
        synchronized (this) {
            if (control.lastLimitedMillis() <= limitedHeardMillis) {
                return;
            }
            limitedHeardMillis = control.lastLimitedMillis();
            long now = System.nanoTime();
            long sentAt = now - TimeUnit.MILLISECONDS.toNanos(Math.max(0, System.currentTimeMillis() - control.lastLimitedMillis()));
            // the same cut, unless this instance cut for the same overshoot already
            double decided = adaptive.heardCut(control.cutCeiling(), control.cutRate(), sentAt, now);
            if (decided != rate.perSecond()) {
                apply(decided);
            }
        }
    }

    /** The bucket refills at {@code requestsPerSecond} from now on, and the rate in force says so. */
    synchronized void apply(double requestsPerSecond) {
        try {
            // tokens as they are (a deficit of reserved slots stays a deficit), capped at the new burst
            bucket.replaceConfiguration(configuration(requestsPerSecond), TokensInheritanceStrategy.AS_IS);
        } catch (RuntimeException unreachable) {
            // only a shared bucket can fail: the decision stays this instance's until the next one reaches it
            LOG.warn("The shared request budget did not take the rate {} requests/s: {}", requestsPerSecond, ClusterBudget.describe(unreachable));
        }
        rate.set(requestsPerSecond);
    }

    /**
     * Z-API asked to wait: no request starts before {@code wait} from now, for every worker (and, shared, every
     * instance). Never shortens a pause.
     */
    public void pauseFor(Duration wait) {
        pauseFor(wait, true);
    }

    private void pauseFor(Duration wait, boolean tell) {
        long until = System.nanoTime() + wait.toNanos();
        notBeforeNanos.accumulateAndGet(until, (current, proposed) -> proposed - current > 0 ? proposed : current);
        if (tell && cluster != null) {
            cluster.pausedUntil(System.currentTimeMillis() + wait.toMillis());
        }
    }
}

package zapi.grouproutes.zapi;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request rate when {@code zapi.rate.requests-per-second} is {@code auto}: it looks for the API's hidden
 * limit, in the manner of TCP's congestion control (slow start, then CUBIC). It decides a rate and nothing
 * else; a bucket applies it ({@link RequestBudget} in this process), so a bucket shared by several
 * processes applies them too ({@link ClusterBudget}: an instance cuts from the rate the bucket is at, {@link #follow},
 * the others take the same cut, {@link #heardCut}, and one that starts late starts from the bucket's rate,
 * {@link #adopt}). Times are {@link System#nanoTime()} values passed in, so the
 * rules can be followed step by step.
 * <ul>
 * <li><b>Only while the budget is the limit.</b> The rate rises only in ticks (a quarter second) in which at
 * least half the permits were held back by the bucket. When fewer groups wait than the rate allows, a higher
 * rate would prove nothing, and a batch that resumes after an idle hour should not find a rate nobody
 * tested.</li>
 * <li><b>Slow start.</b> Until the first 429 the rate doubles per second of such ticks (5 to 200 in about
 * 5 s). The first 429 halves it: by then the rate may be up to twice the limit.</li>
 * <li><b>A 429 backs off once per episode.</b> The rate in force becomes the ceiling and the rate drops to
 * 0.9 of it; when the 429 came below the last ceiling, that ceiling was above the limit, and the new one is
 * set at 0.95 of the rate (CUBIC's fast convergence; for a cut in a row, below, at most the rate). Answers to requests sent before that cut belong to the same overshoot (the requests in flight,
 * and the {@code Retry-After} pause holds everyone after it), so they do not cut again. A new episode within
 * {@value #AGAIN_SECONDS} s of the last cut means the cut was not enough (the limit dropped): the third cut
 * in a row takes 0.7, the next ones 0.5.</li>
 * <li><b>Back to the ceiling slowly, then probe.</b> After a cut the rate follows CUBIC's curve: quickly at
 * first, flattening as it nears the ceiling ({@value #PROBE_SECONDS} s of limited ticks after the cut),
 * then rising slowly past it and faster the longer no 429 comes (20% above the ceiling after another
 * {@value #PROBE_SECONDS} s), in case the limit went up. Sitting just under the ceiling for most of a cycle
 * is what keeps 429s rare: each one costs a {@code Retry-After} pause for every worker.</li>
 * <li>Between {@code min(1, initial)} and the maximum ({@code zapi.rate.max}).</li>
 * </ul>
 */
public final class AdaptiveRate {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveRate.class);

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final long AGAIN_SECONDS = 3;
    static final long PROBE_SECONDS = 20;
    private static final double SLOW_START_BACKOFF = 0.5;
    /** The cuts of consecutive episodes: two gentle ones (one 429 from an unlucky moment), then deeper. */
    private static final double[] BACKOFF = {0.9, 0.9, 0.7, 0.5};
    /** How far above the ceiling the rate is after twice {@link #PROBE_SECONDS} without a 429. */
    private static final double PROBE_ABOVE = 0.2;
    private static final double SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double floor;
    private final double max;
    private double rate;
    private boolean slowStart = true;
    private double ceiling;
    private double cutTo;
    /** Limited time since the last cut, in seconds: the x of the curve. */
    private double probing;
    private boolean cut;
    private long lastCut;
    private int cutsInARow;
    private long tickStart;
    private int permits;
    private int heldBack;

    public AdaptiveRate(double initial, double max, long nowNanos) {
        if (!(initial > 0) || !(max >= initial)) {
            throw new IllegalArgumentException("an adaptive rate needs 0 < initial <= max, not " + initial + " and " + max);
        }
        this.floor = Math.min(1, initial);
        this.max = max;
        this.rate = initial;
        this.tickStart = nowNanos;
    }

    public synchronized double rate() {
        return rate;
    }

    public double max() {
        return max;
    }

    /**
     * Starts from a rate that others found (a shared bucket's, {@code zapi.rate.scope=cluster}) instead of the
     * initial one: no slow start, that rate as the ceiling, and a slow probe above it. Slow start from the
     * initial rate would write rates far below the others' into the bucket they share.
     */
    public synchronized void adopt(double found) {
        rate = Math.max(floor, Math.min(max, found));
        slowStart = false;
        ceiling = rate;
        cutTo = rate;
        probing = PROBE_SECONDS;
    }

    /**
     * The rate in force is {@code shared} (a shared bucket's, which the instances' decisions take turns to set):
     * a cut that follows is a cut of that rate, the same for every instance, so that their ceilings and curves
     * agree instead of each cutting a rate of its own. Nothing else of the state moves.
     */
    public synchronized void follow(double shared) {
        rate = Math.max(floor, Math.min(max, shared));
    }

    /**
     * Another instance sharing the bucket cut for a 429 to a request sent at {@code sentAtNanos}, to {@code cutRate}
     * under {@code cutCeiling}: this instance takes the same cut, so both climb back on the same curve. A 429 sent
     * before this instance's own last cut belongs to that episode and changes nothing. Returns the rate from now on.
     */
    public synchronized double heardCut(double cutCeiling, double cutRate, long sentAtNanos, long nowNanos) {
        if ((cut && sentAtNanos - lastCut < 0) || !(cutRate > 0) || !(cutCeiling > 0)) {
            return rate;
        }
        boolean again = cut && nowNanos - lastCut < AGAIN_SECONDS * SECOND;
        cutsInARow = again ? cutsInARow + 1 : 0;
        slowStart = false;
        ceiling = Math.min(max, cutCeiling);
        cutTo = Math.max(floor, Math.min(max, cutRate));
        rate = cutTo;
        probing = 0;
        cut = true;
        lastCut = nowNanos;
        tickStart = nowNanos;
        permits = 0;
        heldBack = 0;
        return rate;
    }

    /** The ceiling of the last cut: the rate where its 429 came (or just under, CUBIC's fast convergence). */
    public synchronized double ceiling() {
        return ceiling;
    }

    /** Whether a 429 to a request sent at {@code sentAtNanos} would start a new episode (a cut), or belongs to the last one. */
    public synchronized boolean newEpisode(long sentAtNanos) {
        return !cut || sentAtNanos - lastCut >= 0;
    }

    /** A permit was handed out; {@code heldBack}: the bucket made it wait. */
    public synchronized void permitted(boolean heldBack, long nowNanos) {
        if (permits == 0 && nowNanos - tickStart > 4 * TICK_NANOS) {
            // the first request after a quiet spell: the quiet time proves nothing about the limit
            tickStart = nowNanos;
        }
        permits++;
        if (heldBack) {
            this.heldBack++;
        }
    }

    /**
     * An answer came for a request sent at {@code sentAtNanos}: a 429 ({@code rateLimited}) or anything else.
     * Returns the rate from now on.
     */
    public synchronized double answered(boolean rateLimited, long sentAtNanos, long nowNanos) {
        if (rateLimited) {
            backOff(sentAtNanos, nowNanos);
        } else {
            tick(nowNanos);
        }
        return rate;
    }

    private void backOff(long sentAt, long now) {
        if (cut && sentAt - lastCut < 0) {
            return;
        }
        boolean again = cut && now - lastCut < AGAIN_SECONDS * SECOND;
        cutsInARow = again ? cutsInARow + 1 : 0;
        double factor = slowStart ? SLOW_START_BACKOFF : BACKOFF[Math.min(cutsInARow, BACKOFF.length - 1)];
        if (LOG.isDebugEnabled()) {
            LOG.debug("429 for a request sent {} ms after the last cut: rate {} -> {} requests/s ({})", cut ? (sentAt - lastCut) / 1_000_000 : "-",
                    rate, rate * factor, slowStart ? "slow start ends" : "cut " + (cutsInARow + 1) + " in a row");
        }
        // fast convergence (RFC 9438, 4.7): a 429 below the last ceiling means the limit is lower than that
        // ceiling, so the new one is set below the rate where it came, halfway to the cut. For a cut in a row
        // the rate is below the ceiling because of the cut before: lowering the ceiling below it as well would
        // count one overshoot twice, so the ceiling is only kept from staying above where a 429 came
        if (again) {
            ceiling = Math.min(ceiling, rate);
        } else {
            ceiling = cut && rate < ceiling ? rate * (1 + factor) / 2 : rate;
        }
        slowStart = false;
        cutTo = Math.max(floor, rate * factor);
        rate = cutTo;
        probing = 0;
        cut = true;
        lastCut = now;
        // the tick that saw a 429 raises nothing
        tickStart = now;
        permits = 0;
        heldBack = 0;
    }

    private void tick(long now) {
        long elapsed = now - tickStart;
        if (elapsed < TICK_NANOS) {
            return;
        }
        boolean limited = permits > 0 && 2 * heldBack >= permits;
        tickStart = now;
        permits = 0;
        heldBack = 0;
        if (!limited) {
            return;
        }
        // at most a second per tick: a tick that spans a Retry-After pause or a slow answer counts no more
        double seconds = Math.min(elapsed, SECOND) / SECOND;
        if (slowStart) {
            rate = Math.min(max, rate * Math.pow(2, seconds));
            return;
        }
        probing += seconds;
        double x = probing / PROBE_SECONDS - 1;
        double depth = x < 0 ? ceiling - cutTo : PROBE_ABOVE * ceiling;
        rate = Math.max(floor, Math.min(max, ceiling + depth * x * x * x));
    }
}

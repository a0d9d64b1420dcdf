package zapi.grouproutes.zapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The adaptive rate's rules, step by step on a clock of its own (the routes' test, AutoRateTest, runs them
 * against a rate-limited simulator). Each quarter-second tick hands out two permits and gets one answer.
 */
class AdaptiveRateTest {

    private static final long TICK = AdaptiveRate.TICK_NANOS;
    private long now = TimeUnit.HOURS.toNanos(1);

    /** {@code seconds} of ticks in which the bucket held the permits back (or not): demand above the rate. */
    private double ticks(AdaptiveRate rate, double seconds, boolean heldBack) {
        for (long t = 0; t < seconds * 4; t++) {
            rate.permitted(heldBack, now);
            rate.permitted(heldBack, now);
            now += TICK;
            rate.answered(false, now - TICK / 2, now);
        }
        return rate.rate();
    }

    /** A 429 for a request sent {@code ago} nanoseconds before now. */
    private double tooMany(AdaptiveRate rate, long ago) {
        return rate.answered(true, now - ago, now);
    }

    @Test
    void slowStartDoublesTheRateEachSecondTheBudgetIsTheLimit() {
        AdaptiveRate rate = new AdaptiveRate(5, 250, now);
        assertThat(ticks(rate, 1, true)).isCloseTo(10, within(0.01));
        assertThat(ticks(rate, 2, true)).isCloseTo(40, within(0.1));
    }

    @Test
    void theRateDoesNotRiseWhileFewerRequestsWaitThanItAllows() {
        AdaptiveRate rate = new AdaptiveRate(5, 250, now);
        assertThat(ticks(rate, 10, false)).isEqualTo(5);
    }

    @Test
    void aQuietSpellIsNotTimeAtTheLimit() {
        AdaptiveRate rate = new AdaptiveRate(5, 250, now);
        now += TimeUnit.HOURS.toNanos(1);
        // one held permit after an idle hour: at most one tick's growth, not an hour's
        assertThat(ticks(rate, 0.25, true)).isLessThan(5 * Math.pow(2, 0.26));
    }

    @Test
    void theFirst429HalvesTheRateAndLaterOnesTakeATenth() {
        AdaptiveRate rate = new AdaptiveRate(5, 250, now);
        ticks(rate, 3, true);
        assertThat(tooMany(rate, TICK)).isCloseTo(20, within(0.1));
        double before = ticks(rate, 5, true);
        assertThat(tooMany(rate, TICK)).isCloseTo(0.9 * before, within(0.01));
    }

    @Test
    void a429EpisodeCutsOnceAndACutThatWasNotEnoughIsFollowedByDeeperOnes() {
        AdaptiveRate rate = new AdaptiveRate(100, 250, now);
        tooMany(rate, TICK);
        ticks(rate, 5, true);
        double first = tooMany(rate, TICK);
        // the other requests in flight at the first 429 were sent before the cut: the same overshoot
        now += TimeUnit.MILLISECONDS.toNanos(50);
        assertThat(tooMany(rate, TimeUnit.MILLISECONDS.toNanos(100))).isEqualTo(first);
        // sent after the cut, within 3 s: the limit is lower than the cut assumed
        now += TimeUnit.SECONDS.toNanos(1);
        assertThat(tooMany(rate, 1000)).isCloseTo(0.9 * first, within(0.01));
        now += TimeUnit.SECONDS.toNanos(1);
        assertThat(tooMany(rate, 1000)).isCloseTo(0.7 * 0.9 * first, within(0.01));
        now += TimeUnit.SECONDS.toNanos(1);
        assertThat(tooMany(rate, 1000)).isCloseTo(0.5 * 0.7 * 0.9 * first, within(0.01));
        // a 429 long after the last cut is a new cycle: a gentle cut again
        double settled = ticks(rate, 10, true);
        assertThat(tooMany(rate, 1000)).isCloseTo(0.9 * settled, within(0.01));
    }

    @Test
    void afterACutTheRateNearsTheCeilingSlowlyThenProbesPastIt() {
        AdaptiveRate rate = new AdaptiveRate(100, 250, now);
        tooMany(rate, TICK);
        ticks(rate, 40, true);
        double ceiling = rate.rate();
        assertThat(tooMany(rate, TICK)).isCloseTo(0.9 * ceiling, within(0.01));
        // CUBIC: most of the way back in a quarter of the time, then flat near the ceiling
        assertThat(ticks(rate, 5, true)).isCloseTo(ceiling - 0.1 * ceiling * Math.pow(0.75, 3), within(0.01 * ceiling));
        assertThat(ticks(rate, 15, true)).isCloseTo(ceiling, within(0.001 * ceiling));
        assertThat(ticks(rate, 10, true)).isCloseTo(ceiling * (1 + 0.2 * Math.pow(0.5, 3)), within(0.01 * ceiling));
        assertThat(ticks(rate, 10, true)).isCloseTo(ceiling * 1.2, within(0.01 * ceiling));
    }

    /** Fast convergence: a 429 before the rate is back at the ceiling lowers the ceiling below where it came. */
    @Test
    void a429BelowTheCeilingSetsTheNextCeilingLower() {
        AdaptiveRate rate = new AdaptiveRate(100, 250, now);
        tooMany(rate, TICK);
        ticks(rate, 20, true);
        assertThat(rate.rate()).isCloseTo(100, within(0.01));
        tooMany(rate, TICK);
        double below = ticks(rate, 5, true);
        assertThat(below).isLessThan(100);
        tooMany(rate, TICK);
        // back at the new ceiling 20 s later: halfway between the rate of that 429 and its cut
        assertThat(ticks(rate, 20, true)).isCloseTo(below * 0.95, within(0.01));
    }

    /** A cut in a row lowers the ceiling to where its 429 came, not below it: one overshoot is not counted twice. */
    @Test
    void aCutInARowBringsTheCeilingDownToWhereIts429Came() {
        AdaptiveRate rate = new AdaptiveRate(100, 250, now);
        tooMany(rate, TICK);
        ticks(rate, 20, true);
        tooMany(rate, TICK);
        now += TimeUnit.SECONDS.toNanos(1);
        assertThat(tooMany(rate, 1000)).isCloseTo(81, within(0.01));
        assertThat(ticks(rate, 20, true)).isCloseTo(90, within(0.01));
    }

    @Test
    void theRateNeverPassesItsMaximumNorFallsBelowOneRequestPerSecond() {
        AdaptiveRate rate = new AdaptiveRate(5, 12, now);
        assertThat(ticks(rate, 10, true)).isEqualTo(12);
        for (int i = 0; i < 20; i++) {
            now += TimeUnit.SECONDS.toNanos(1);
            tooMany(rate, 1000);
        }
        assertThat(rate.rate()).isEqualTo(1);
        assertThat(ticks(rate, 200, true)).isEqualTo(12);
    }

    /** Shared by instances: two controllers that took the same cut climb back on the same curve, whatever their rates were. */
    @Test
    void instancesThatTakeTheSameCutClimbBackTogether() {
        AdaptiveRate cutter = new AdaptiveRate(5, 250, now);
        AdaptiveRate other = new AdaptiveRate(5, 250, now);
        ticks(cutter, 3, true);
        ticks(other, 2, true);
        // the cutter cuts from the rate the bucket is at (the other's last decision, say), not from its own
        cutter.follow(other.rate());
        double cut = tooMany(cutter, TICK);
        assertThat(cut).isCloseTo(other.rate() / 2, within(0.01));
        assertThat(other.heardCut(cutter.ceiling(), cut, now - TICK, now)).isEqualTo(cut);
        // the same limited seconds after the cut, on the same clock
        long cutAt = now;
        double others = ticks(other, 30, true);
        now = cutAt;
        assertThat(ticks(cutter, 30, true)).isCloseTo(others, within(0.01)).isGreaterThan(cut);
        // the same overshoot, heard after this instance's own cut: no second cut
        double before = other.rate();
        assertThat(other.heardCut(other.ceiling(), before / 2, now - TimeUnit.SECONDS.toNanos(40), now)).isEqualTo(before);
    }

    /** An instance that starts while others share a bucket starts at its rate, past slow start: a 429 then takes a tenth. */
    @Test
    void anAdoptedRateIsACeilingNotASlowStart() {
        AdaptiveRate rate = new AdaptiveRate(5, 250, now);
        rate.adopt(40);
        assertThat(rate.rate()).isEqualTo(40);
        assertThat(tooMany(rate, TICK)).isCloseTo(36, within(0.01));
        rate.adopt(1000);
        assertThat(rate.rate()).as("never above the maximum").isEqualTo(250);
    }
}

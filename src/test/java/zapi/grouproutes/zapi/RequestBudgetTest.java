package zapi.grouproutes.zapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The budget on its own, timed where permits are handed out (the routes' test, RequestCapTest, times them at the server). */
class RequestBudgetTest {

    @Test
    void theBurstIsATenthOfASecondsRequestsAndAtLeastOne() {
        assertThat(RequestBudget.burst(0.5)).isEqualTo(1);
        assertThat(RequestBudget.burst(5)).isEqualTo(1);
        assertThat(RequestBudget.burst(10)).isEqualTo(1);
        assertThat(RequestBudget.burst(25)).isEqualTo(3);
        assertThat(RequestBudget.burst(200)).isEqualTo(20);
    }

    @Test
    void aFractionalRateSpacesRequestsByItsPeriod() throws InterruptedException {
        RequestBudget budget = new RequestBudget(4);
        budget.take();
        long started = System.nanoTime();
        budget.take();
        budget.take();
        // two more permits at 4/s: 0.5 s
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(450));
        RequestBudget slow = new RequestBudget(2.5);
        slow.take();
        started = System.nanoTime();
        slow.take();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(350));
    }

    /** Eight workers waiting on a pause: it ends paced by the bucket, not with all eight in one millisecond. */
    @Test
    void aPauseHoldsEveryWorkerAndEndsAtTheRate() throws Exception {
        RequestBudget budget = new RequestBudget(10);
        budget.take();
        long pausedAt = System.nanoTime();
        budget.pauseFor(Duration.ofMillis(500));
        List<Long> granted = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            workers.submit(() -> {
                budget.take();
                granted.add(System.nanoTime());
                return null;
            });
        }
        workers.shutdown();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        List<Long> sorted = granted.stream().sorted().toList();
        assertThat(sorted.get(0) - pausedAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        // burst 1, then one per 100 ms: the eighth permit 700 ms after the first
        assertThat(sorted.get(7) - sorted.get(0)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(650));
    }

    /** An adaptive rate is applied every quarter second or so: each new configuration must keep the refill's progress. */
    @Test
    void aRateAppliedOverAndOverIsStillTheRate() throws Exception {
        RequestBudget budget = new RequestBudget(5);
        ScheduledExecutorService decisions = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger decision = new AtomicInteger();
        // a rate that moves a little each time, as the adaptive one does (Bucket4j ignores an equal configuration)
        decisions.scheduleAtFixedRate(() -> budget.apply(5 + decision.incrementAndGet() % 2 * 1e-4), 10, 50, TimeUnit.MILLISECONDS);
        try {
            budget.take();
            long started = System.nanoTime();
            for (int i = 0; i < 15; i++) {
                budget.take();
            }
            // 15 permits at 5/s: 3 s; 24 s when each new configuration dropped the progress towards the next token.
            // The floor cannot fail on a slow machine; the ceiling is half the broken figure, so only seconds of
            // stalls, not a busy machine, could reach it
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(2800), Duration.ofSeconds(12));
        } finally {
            decisions.shutdownNow();
        }
    }

    @Test
    void aShorterRetryAfterNeverShortensAPause() throws InterruptedException {
        RequestBudget budget = new RequestBudget(1000);
        long started = System.nanoTime();
        budget.pauseFor(Duration.ofMillis(400));
        budget.pauseFor(Duration.ofMillis(10));
        budget.take();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(390));
    }

    /**
     * A lookup during a batch whose workers all wait for permits takes the next slot: at most the batch permit
     * being waited for when it arrived goes before it, counted by the line, not by a clock. The lookup's
     * permit comes from the same bucket: permits in all never exceed burst + rate x elapsed.
     */
    @Test
    void anInteractivePermitTakesTheNextSlotWhileBatchWorkersWaitAndTheRateHolds() throws Exception {
        RequestBudget budget = new RequestBudget(2);
        AtomicInteger granted = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(6);
        try {
            for (int i = 0; i < 6; i++) {
                workers.submit(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        budget.take(PermitLine.Lane.BATCH);
                        granted.incrementAndGet();
                    }
                    return null;
                });
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> granted.get() >= 2);
            long[] servedBefore = new long[1];
            long[] servedAfter = new long[1];
            Thread lookup = new Thread(() -> {
                try {
                    budget.take(PermitLine.Lane.INTERACTIVE);
                    servedAfter[0] = budget.line().served();
                    granted.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            lookup.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> budget.line().interactiveWaiting() == 1
                    || !lookup.isAlive());
            servedBefore[0] = budget.line().served();
            lookup.join(10_000);
            assertThat(lookup.isAlive()).isFalse();
            // the lookup's own permit, and at most the one batch permit that held the line when it arrived;
            // six batch workers queued before it would be six without the lane
            assertThat(servedAfter[0] - servedBefore[0]).isBetween(1L, 2L);
            double elapsed = (System.nanoTime() - started) / 1e9;
            assertThat((double) granted.get()).isLessThanOrEqualTo(RequestBudget.burst(2) + 2 * elapsed + 1);
        } finally {
            workers.shutdownNow();
        }
    }
}

package zapi.grouproutes.zapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import zapi.grouproutes.zapi.PermitLine.Lane;

/** Who reserves the next slot: decided by the line alone, no clock involved. */
class PermitLineTest {

    @Test
    void anInteractiveTakerGoesBeforeEveryBatchTakerThatWaits() throws Exception {
        PermitLine line = new PermitLine();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        ExecutorService takers = Executors.newFixedThreadPool(4);
        try {
            line.enter(Lane.BATCH);
            CountDownLatch batchWaiting = new CountDownLatch(2);
            for (String name : List.of("batch-1", "batch-2")) {
                takers.submit(() -> {
                    batchWaiting.countDown();
                    line.enter(Lane.BATCH);
                    order.add(name);
                    line.leave();
                    return null;
                });
            }
            assertThat(batchWaiting.await(5, TimeUnit.SECONDS)).isTrue();
            takers.submit(() -> {
                line.enter(Lane.INTERACTIVE);
                order.add("lookup");
                line.leave();
                return null;
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> line.interactiveWaiting() == 1);
            // a batch taker arriving after the lookup does not overtake it either
            takers.submit(() -> {
                line.enter(Lane.BATCH);
                order.add("batch-3");
                line.leave();
                return null;
            });
            line.leave();
            await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 4);
            assertThat(order.get(0)).isEqualTo("lookup");
            assertThat(line.served()).isEqualTo(5);
        } finally {
            takers.shutdownNow();
        }
    }

    @Test
    void interactiveTakersGoOneAtATimeToo() throws Exception {
        PermitLine line = new PermitLine();
        line.enter(Lane.INTERACTIVE);
        ExecutorService takers = Executors.newSingleThreadExecutor();
        try {
            var second = takers.submit(() -> {
                line.enter(Lane.INTERACTIVE);
                line.leave();
                return null;
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> line.interactiveWaiting() == 1);
            assertThat(second).isNotDone();
            line.leave();
            second.get(5, TimeUnit.SECONDS);
            assertThat(line.interactiveWaiting()).isZero();
        } finally {
            takers.shutdownNow();
        }
    }
}

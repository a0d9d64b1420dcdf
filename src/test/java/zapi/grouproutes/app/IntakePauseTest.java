package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StatefulService;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import zapi.grouproutes.zapi.ZapiUnreachableException;

/**
 * The pause policy of a source, on a real route: held by the source, probed every interval on its own
 * scheduler, and resumed only by a probe that passes. A probe that throws is tried again (Camel's own
 * policy ran its check on a Timer that a throwing check ended for good: intake stayed paused with no probe).
 */
class IntakePauseTest {

    @Test
    void aHeldSourceIsProbedUntilAProbePassesEvenWhenAProbeThrows() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        IntakePause pause = new IntakePause(1, 3_600_000, 50, List.of(ZapiUnreachableException.class));
        pause.setHalfOpenHandler(() -> switch (probes.incrementAndGet()) {
            case 1 -> throw new IllegalStateException("a probe that fails in an unexpected way");
            case 2, 3 -> false;
            default -> true;
        });
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("pause", pause);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("scheduler:source?delay=50").routeId("source").routePolicyRef("pause").log("polled");
                }
            });
            context.start();
            Route route = context.getRoute("source");

            pause.hold(route);
            pause.hold(route);
            assertThat(pause.held()).isTrue();
            assertThat(((StatefulService) route.getConsumer()).getStatus()).isEqualTo(ServiceStatus.Suspended);

            await().atMost(Duration.ofSeconds(10)).until(() -> !pause.held());
            assertThat(probes).as("one chain of probes: the throwing one, two that fail, the one that passes").hasValue(4);
            assertThat(((StatefulService) route.getConsumer()).getStatus()).isEqualTo(ServiceStatus.Started);

            // held again later: a new chain
            pause.hold(route);
            await().atMost(Duration.ofSeconds(10)).until(() -> !pause.held());
            assertThat(probes).hasValue(5);
        }
    }
}

package zapi.grouproutes.app;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pause of a source whose consumer cannot be suspended in place without losing input: it stops the
 * route, waits for the intake probe to see Z-API and the database answer, and starts the route again.
 *
 * <p>Why not the ThrottlingExceptionRoutePolicy that pauses the inbox: Camel 4.18.0's Kafka consumer, when
 * it is suspended while a poll fails, skips the reconnect that breakOnFirstError relies on (it checks for
 * a pause first), keeps its position past the failed poll, and the next commit covers records never
 * delivered (KafkaOutageTest lost 10 of 30 records that way). A stopped consumer leaves the group and a
 * started one resumes from the last commit, so nothing is skipped; its partitions meanwhile go to the
 * group's other members, which is what they are for.
 */
final class RouteRestart {

    private static final Logger LOG = LoggerFactory.getLogger(RouteRestart.class);
    private static final Duration LOOK = Duration.ofMillis(250);

    private final IntakeProbe probe;
    private final boolean stopsRoute;
    private final AtomicBoolean pausing = new AtomicBoolean();

    RouteRestart(IntakeProbe probe) {
        this(probe, true);
    }

    private RouteRestart(IntakeProbe probe, boolean stopsRoute) {
        this.probe = probe;
        this.stopsRoute = stopsRoute;
    }

    /**
     * The http source's pause: its server keeps answering (reads, and 503 for what would enrich), so there is
     * no route to stop; only its status waits for the probe, which resumes it.
     */
    static RouteRestart probeOnly(IntakeProbe probe) {
        return new RouteRestart(probe, false);
    }

    /** Stops the route now and starts it once the probe passes; a second call while paused does nothing. */
    void pause(CamelContext context, String routeId) {
        if (!pausing.compareAndSet(false, true)) {
            return;
        }
        // stopping a route waits for its in-flight exchange, which the calling thread serves
        Thread pauser = new Thread(() -> {
            try {
                if (stopsRoute) {
                    context.getRouteController().stopRoute(routeId);
                }
                while (!context.isStopping() && !context.isStopped() && !probe.isReadyToBeClosed()) {
                    // the probe keeps its own backoff: asking often costs nothing between its probes
                    lookAgainLater(routeId);
                }
                if (stopsRoute && !context.isStopping() && !context.isStopped()) {
                    context.getRouteController().startRoute(routeId);
                }
            } catch (Exception e) {
                LOG.error("Route {} could not be paused and resumed ({}); restart the service to resume it", routeId, e.toString());
            } finally {
                pausing.set(false);
            }
        }, "pause-" + routeId);
        pauser.setDaemon(true);
        pauser.start();
    }

    /**
     * This thread is this class's own, and only a stopping context ends its wait (the loop checks): an
     * interrupt from anywhere else (a library that sets the flag for a timeout, say) must not leave the
     * route stopped for good without a word.
     */
    private static void lookAgainLater(String routeId) {
        try {
            Thread.sleep(LOOK.toMillis());
        } catch (InterruptedException e) {
            LOG.warn("Route {}: the wait to resume it was interrupted; it goes on until intake can resume or the service stops", routeId);
        }
    }
}

package zapi.grouproutes.app;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Suspendable;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source of the intake (inbox, kafka, jms, schedule): its own status, and the two things a unit of
 * work can ask of it on a failure. Pause: a transient cause; the source takes nothing new until its probe
 * sees Z-API, the database and the broker answer (IntakeProbe, through the route's pause policy or, for
 * Kafka, RouteRestart), then resumes by itself. Stop: a cause that needs a person; the route stops, so the
 * same input is not taken again and again, and readiness says why until the service is restarted.
 * Each source decides for itself: another source's pause or stop changes nothing here.
 */
public final class Source {

    private static final Logger LOG = LoggerFactory.getLogger(Source.class);

    private final String name;
    private final String routeId;
    private final IntakeStatus status;
    private volatile RouteRestart restart;
    private volatile IntakePause pausePolicy;

    Source(String name, String routeId, IntakeStatus status) {
        this.name = name;
        this.routeId = routeId;
        this.status = status;
    }

    /** The source pauses by suspending its route's consumer until the probe passes (its route's pause policy). */
    void pauseBy(IntakePause policy) {
        this.pausePolicy = policy;
    }

    /** The source pauses by stopping its route and starting it again after the probe (see RouteRestart). */
    void pauseByRestart(RouteRestart restart) {
        this.restart = restart;
    }

    public String name() {
        return name;
    }

    /** The route whose consumer takes this source's input. */
    public String routeId() {
        return routeId;
    }

    public IntakeStatus status() {
        return status;
    }

    /**
     * A transient cause: the source takes nothing new until its probe passes. Returns true for the call that
     * paused it (the one that logs); false while it is already paused or stopped.
     */
    boolean pause(String reason, CamelContext context) {
        boolean first = status.pause(reason);
        if (first && restart != null) {
            restart.pause(context, routeId);
        }
        Route route = context.getRoute(routeId);
        if (pausePolicy != null && route != null) {
            // also when already PAUSED: a status that says paused is always being probed
            pausePolicy.hold(route);
        }
        return first;
    }

    /** A cause that needs a person: the route stops. Returns true for the call that stopped it. */
    boolean stop(String reason, CamelContext context) {
        if (!status.stop(reason)) {
            return false;
        }
        if (context.getRoute(routeId) == null) {
            // the http source: no one route, its server keeps answering reads; what enriches asks the status
            return true;
        }
        // stopping a route waits for its in-flight exchanges, and the calling thread serves one of them
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(routeId);
            } catch (Exception e) {
                LOG.debug("Could not stop route {}: {}", routeId, e.getClass().getSimpleName());
            }
        }, "stop-" + routeId);
        stopper.setDaemon(true);
        stopper.start();
        return true;
    }

    /** The line after the cause's: what a person does about a stopped source. */
    void sayStopped() {
        LOG.error("Route {} is stopped until the cause is fixed (source {}); restart the service (or start the route) to resume", routeId,
                name);
    }

    /** No further polls now, before anything slow; unlike stopping the route, this does not wait for the exchange this thread serves. */
    void holdPolls(CamelContext context) {
        Route route = context.getRoute(routeId);
        if (route != null && route.getConsumer() instanceof Suspendable) {
            try {
                ServiceHelper.suspendService(route.getConsumer());
            } catch (RuntimeException e) {
                LOG.debug("Could not pause route {}: {}", routeId, e.getClass().getSimpleName());
            }
        }
    }
}

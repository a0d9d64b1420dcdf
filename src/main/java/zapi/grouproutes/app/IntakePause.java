package zapi.grouproutes.app;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's circuit-breaker route policy as the pause of one source: opened once per pause, by the source
 * itself ({@link #hold}) when its unit of work fails on a transient cause, or by a failed exchange the policy
 * counts; then its probe ({@link IntakeProbe}) runs every probe interval until intake may resume.
 *
 * <p>Two things of Camel 4.18.0's own policy are replaced here, because each could leave a source paused for
 * good with no probe at all:
 * <ul>
 * <li>Several failures of one outage (a stream source's consumers, a few milliseconds apart) each opened the
 * circuit again; every opening moved the moment the half-open check measures from, and a check that found
 * the latest opening too recent gave up without scheduling another. Here the failures that arrive while
 * the circuit is open are the same outage and are not counted.</li>
 * <li>Its half-open check runs on a new {@code java.util.Timer} per opening, and a check that throws ends
 * the chain of checks. Here one scheduler thread per source runs the probe, a probe that throws is logged
 * and tried again, and only a resume or a stopping context ends the chain.</li>
 * </ul>
 * Opening from the source, not only from the exchange's outcome, keeps the pause and the status together:
 * a source whose status says PAUSED is always being probed.
 */
final class IntakePause extends ThrottlingExceptionRoutePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(IntakePause.class);

    private final long probeEveryMillis;
    private boolean open;
    private ScheduledExecutorService probes;

    IntakePause(int threshold, long failureWindowMillis, long probeEveryMillis, List<Class<?>> exceptions) {
        super(threshold, failureWindowMillis, probeEveryMillis, exceptions);
        this.probeEveryMillis = probeEveryMillis;
    }

    /** The source paused: its consumer takes nothing new from now on, and the probe starts. Nothing if already held. */
    synchronized void hold(Route route) {
        if (!open) {
            openCircuit(route);
        }
    }

    synchronized boolean held() {
        return open;
    }

    @Override
    public synchronized void onExchangeDone(Route route, Exchange exchange) {
        if (open) {
            return;
        }
        super.onExchangeDone(route, exchange);
    }

    @Override
    protected synchronized void openCircuit(Route route) {
        open = true;
        // suspends the consumer and calls addHalfOpenTimer: the first probe after one interval
        super.openCircuit(route);
    }

    @Override
    protected synchronized void closeCircuit(Route route) {
        super.closeCircuit(route);
        open = false;
    }

    @Override
    protected synchronized void addHalfOpenTimer(Route route) {
        if (probes == null) {
            probes = route.getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                    "IntakeProbe-" + route.getRouteId());
        }
        probes.schedule(() -> probe(route), probeEveryMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Under the policy's lock: a pause that arrives while the probe resumes intake waits for the resume and
     * then holds the source again, instead of finding the circuit still open and leaving a PAUSED status unprobed.
     */
    private synchronized void probe(Route route) {
        if (route.getCamelContext().isStopping() || route.getCamelContext().isStopped()) {
            return;
        }
        boolean ready;
        try {
            ready = getHalfOpenHandler().isReadyToBeClosed();
        } catch (RuntimeException e) {
            LOG.warn("Intake probe of route {} failed ({}); probing again", route.getRouteId(), e.toString());
            ready = false;
        }
        if (ready) {
            closeCircuit(route);
        } else {
            addHalfOpenTimer(route);
        }
    }
}

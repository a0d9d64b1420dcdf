package zapi.grouproutes.app;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.Suspendable;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.main.MainSupport;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.RootCause;
import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.BatchInterruptedException;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.zapi.Credentials;
import zapi.grouproutes.zapi.ZapiSystematicException;
import zapi.grouproutes.zapi.ZapiUnreachableException;

/**
 * Ends a run the way its mode wants: batch mode exits when the inbox is drained (0) or a batch had to
 * stop (2). Service mode keeps running: a stop whose cause heals by itself (Z-API unreachable, database
 * down) pauses intake until a probe sees both answer (IntakeProbe); a
 * stop that needs a person (credentials refused, ...) stops the source, so it does not pick the same input
 * up again and again; a shutdown lets the batch end as incomplete and exits cleanly.
 */
public final class RunControl {

    public static final int EXIT_BATCH_STOPPED = 2;
    /** Exchange property a stream source without dead letters (Kafka) sets: any failure stops or pauses the stream. */
    public static final String STOPS_STREAM = "zapiStopsStream";
    /** Exchange property of a schedule tick (routes/sources/schedule.camel.yaml): a stop ends the tick, not the schedule. */
    public static final String TICK = "zapiTick";

    private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);

    private final RunMode mode;
    private final MainSupport main;
    private final Credentials credentials;
    private final Batches batches;
    private final IntakeStatus intake;
    private final AtomicInteger exitCode = new AtomicInteger();
    /** Sources paused by stopping and restarting their route (RouteRestart), by route id; the others by their route policy. */
    private final java.util.Map<String, RouteRestart> pausedByRestart = new java.util.concurrent.ConcurrentHashMap<>();

    public RunControl(RunMode mode, MainSupport main, Credentials credentials, Batches batches, IntakeStatus intake) {
        this.mode = mode;
        this.main = main;
        this.credentials = credentials;
        this.batches = batches;
        this.intake = intake;
    }

    /** The source route {@code routeId} pauses by a stop and a restart after the probe (see RouteRestart). */
    void pauseByRestart(String routeId, RouteRestart restart) {
        pausedByRestart.put(routeId, restart);
    }

    public RunMode mode() {
        return mode;
    }

    /** Whether the sources take input, for the readiness check "intake". */
    public IntakeStatus intake() {
        return intake;
    }

    /** The inbox had nothing more to give. */
    public void inboxDrained() {
        if (mode == RunMode.BATCH) {
            LOG.info("Inbox drained: batch mode run complete, exiting with code {}", exitCode.get());
            main.completed();
        }
    }

    /**
     * A batch stopped early: abandons its report, logs the one line that names the cause, and stops the
     * source route so the same input is not picked up again and again (it stays where it is).
     *
     * Called from every worker that hits the error (a split stops taking entries, but the ones already
     * in flight finish); only the first call per batch acts.
     */
    public void batchStopped(Exchange exchange) {
        if (exchange.getProperty(TICK, false, Boolean.class)) {
            tickStopped(exchange);
            return;
        }
        if (exchange.getProperty("zapiBatch") == null && exchange.getProperty("zapiSource") != null) {
            // a stream source's message (no batch). A source without dead letters (Kafka) stops or pauses
            // here: a failure that enrich-group's error handler saw does not reach the source route's own.
            // A source with dead letters (JMS) decides in its route configuration (jms-stop).
            if (exchange.getProperty(STOPS_STREAM, false, Boolean.class)) {
                streamStopped(exchange);
            }
            return;
        }
        Throwable cause = causeOf(exchange);
        String reason = credentials.redact(describe(cause));
        Batch batch = exchange.getProperty("zapiBatch", Batch.class);
        if (batch != null && !batch.stop(reason)) {
            return;
        }
        String routeId = exchange.getFromRouteId();
        String source = exchange.getIn().getHeader(Exchange.FILE_NAME, "input", String.class);
        if (ObjectHelper.getException(BatchInterruptedException.class, cause) != null) {
            // the service is stopping: abandon says how far the batch got; the input stays for the next start
            batches.abandon(batch);
            if (mode == RunMode.BATCH) {
                exitCode.set(EXIT_BATCH_STOPPED);
            }
            return;
        }
        // before anything slow (abandoning may wait for a dead database): the split may already have
        // rolled the input back, and the source must not pick it up again as a new batch meanwhile
        pauseSource(exchange.getContext(), routeId);
        if (mode == RunMode.BATCH) {
            exitCode.set(EXIT_BATCH_STOPPED);
            LOG.error("Batch {} stopped: {}. The input stays in the inbox for a re-run.", source, reason);
            batches.abandon(batch);
            // the whole context shuts down; stopping the route as well would race with that shutdown
            LOG.warn("Ending the batch mode run with exit code {}", EXIT_BATCH_STOPPED);
            main.completed();
        } else if (heals(cause)) {
            intake.paused(reason);
            LOG.error("Batch {} stopped: {}. The input stays in the inbox; intake pauses and resumes by itself once Z-API"
                    + " and the database answer again.", source, reason);
            batches.abandon(batch);
        } else {
            exitCode.set(EXIT_BATCH_STOPPED);
            intake.stopped(reason);
            LOG.error("Batch {} stopped: {}. The input stays in the inbox for a re-run.", source, reason);
            batches.abandon(batch);
            stopSource(exchange.getContext(), routeId);
            LOG.error("Route {} is stopped until the cause is fixed; restart the service (or start the route) to resume", routeId);
        }
    }

    /**
     * An input that cannot leave the inbox (its move out failed) would be read again at every poll: one
     * ERROR, then in service mode the source paused at once, stopped, and readiness DOWN with the reason;
     * in batch mode the run ends with exit code 2. Only the first call acts.
     */
    public void inputStuck(CamelContext context, String routeId, String reason) {
        if (intake.state() == IntakeStatus.State.STOPPED && reason.equals(intake.cause())) {
            return;
        }
        exitCode.set(EXIT_BATCH_STOPPED);
        pauseSource(context, routeId);
        String safe = credentials.redact(reason);
        if (mode == RunMode.BATCH) {
            LOG.error("{}; ending the batch mode run with exit code {}", safe, EXIT_BATCH_STOPPED);
            main.completed();
        } else {
            intake.stopped(safe);
            LOG.error("{}; the inbox source is stopped until the file is moved or removed and the service restarted", safe);
            stopSource(context, routeId);
        }
    }

    /**
     * A schedule tick could not begin or had to stop: it ends INCOMPLETE with the reason and publishes no
     * report. The schedule is neither paused nor stopped: the next tick is the retry, and pausing or
     * stopping a clustered Quartz trigger would stop it for every instance. Batch mode exits with 2.
     */
    private void tickStopped(Exchange exchange) {
        Throwable cause = causeOf(exchange);
        String reason = credentials.redact(describe(cause));
        Batch batch = exchange.getProperty("zapiBatch", Batch.class);
        if (batch != null && !batch.stop(reason)) {
            return;
        }
        String tick = exchange.getProperty("zapiInputKey", "a tick", String.class);
        if (ObjectHelper.getException(BatchInterruptedException.class, cause) != null) {
            batches.abandon(batch);
        } else if (batch == null) {
            LOG.error("Tick {} did not start: {}.{}", tick, reason, mode == RunMode.BATCH ? "" : " The next tick tries again.");
        } else {
            LOG.error("Tick {} stopped: {}. No report was published; groups it fetched OK are stored.{}", tick, reason,
                    mode == RunMode.BATCH ? "" : " The next tick tries again.");
            batches.abandon(batch);
        }
        if (mode == RunMode.BATCH) {
            // the handled failure ends the exchange here: tickDone after the tick is not reached
            exitCode.set(EXIT_BATCH_STOPPED);
            LOG.warn("Ending the batch mode run with exit code {}", EXIT_BATCH_STOPPED);
            main.completed();
        }
    }

    /** Batch mode's one tick (ZAPI_SOURCES=schedule) is done (a stopped one ends the run in tickStopped): the run exits. */
    public void tickDone() {
        if (mode == RunMode.BATCH) {
            LOG.info("Tick done: batch mode run complete, exiting with code {}", exitCode.get());
            main.completed();
        }
    }

    /**
     * A stream source (a topic, a queue) could not finish a message: the exchange stays failed, so its
     * message is not acknowledged and the broker gives it again. A cause that heals pauses intake (the
     * route's pause policy suspends the consumer until IntakeProbe sees Z-API and the database answer);
     * a cause that needs a person stops the route and makes readiness DOWN. Called by every worker that
     * hits the error; the first one logs.
     */
    public void streamStopped(Exchange exchange) {
        Throwable cause = causeOf(exchange);
        String routeId = exchange.getFromRouteId();
        if (ObjectHelper.getException(BatchInterruptedException.class, cause) != null || exchange.getContext().isStopping()) {
            // the service is stopping: the message is not acknowledged and comes again on the next start
            return;
        }
        String reason = credentials.redact(describe(cause));
        if (heals(cause)) {
            if (intake.state() != IntakeStatus.State.PAUSED) {
                intake.paused(reason);
                LOG.error("Source {} stopped taking messages: {}. Messages not yet acknowledged stay on the broker; intake pauses"
                        + " and resumes by itself once Z-API and the database answer again.", routeId, reason);
            }
            RouteRestart restart = routeId == null ? null : pausedByRestart.get(routeId);
            if (restart != null) {
                restart.pause(exchange.getContext(), routeId);
            }
        } else if (intake.state() == IntakeStatus.State.PAUSED) {
            // a message still in flight while the paused route stops fails with that stop (a pool that
            // rejects work, say): not a cause of its own. Its poll is read again after the pause, and a
            // real cause for a person shows again then.
            LOG.warn("Source {}: a message in flight failed while intake is paused ({}); it is read again when intake resumes",
                    routeId, reason);
        } else if (intake.state() != IntakeStatus.State.STOPPED) {
            exitCode.set(EXIT_BATCH_STOPPED);
            intake.stopped(reason);
            LOG.error("Source {} stopped: {}. Messages not yet acknowledged stay on the broker.", routeId, reason);
            stopSource(exchange.getContext(), routeId);
            LOG.error("Route {} is stopped until the cause is fixed; restart the service (or start the route) to resume", routeId);
        }
    }

    /** What failed: the exception an error handler caught, or the one the exchange still carries. */
    private static Throwable causeOf(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return caught != null ? caught : exchange.getException();
    }

    /** Z-API unreachable and the database down pass by themselves; everything else needs a person. */
    static boolean heals(Throwable cause) {
        return ObjectHelper.getException(ZapiUnreachableException.class, cause) != null
                || ObjectHelper.getException(DatabaseUnavailableException.class, cause) != null
                || ObjectHelper.getException(org.apache.kafka.common.errors.RetriableException.class, cause) != null
                // the poll's commit came too late or during a rebalance: the poll is read again, by this
                // member or another; nothing for a person to do
                || ObjectHelper.getException(org.apache.kafka.clients.consumer.CommitFailedException.class, cause) != null
                || ObjectHelper.getException(org.apache.kafka.common.errors.RebalanceInProgressException.class, cause) != null;
    }

    /** No further polls; unlike stopping the route, this does not wait for the exchange this thread serves. */
    private static void pauseSource(CamelContext context, String routeId) {
        Route route = routeId == null ? null : context.getRoute(routeId);
        if (route != null && route.getConsumer() instanceof Suspendable) {
            try {
                ServiceHelper.suspendService(route.getConsumer());
            } catch (RuntimeException e) {
                LOG.debug("Could not pause route {}: {}", routeId, e.getClass().getSimpleName());
            }
        }
    }

    private static void stopSource(CamelContext context, String routeId) {
        if (routeId == null) {
            return;
        }
        // stopping a route waits for its in-flight exchanges, and this thread serves one of them
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(routeId);
            } catch (Exception e) {
                LOG.debug("Could not stop route {}: {}", routeId, e.getClass().getSimpleName());
            }
        }, "stop-" + routeId);
        stopper.setDaemon(true);
        stopper.start();
    }

    /** The systematic or database cause if there is one (it names the fix), else the exception's own type and message. */
    static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RetriableException) {
                String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().replaceAll("\\.+$", "");
                return "Kafka broker not taking events (" + message + "); check ZAPI_KAFKA_BROKERS and the broker";
            }
            if (t instanceof ZapiSystematicException || t instanceof ZapiUnreachableException || t instanceof DatabaseUnavailableException
                    || t instanceof BatchInterruptedException || t instanceof zapi.grouproutes.enrichment.RotationGuard.RotationRefusedException) {
                return t.getMessage();
            }
        }
        if (cause == null) {
            return "unknown cause";
        }
        return RootCause.describe(cause);
    }

    public int exitCode() {
        return exitCode.get();
    }
}

package zapi.grouproutes.app;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.zapi.Credentials;
import zapi.grouproutes.zapi.ZapiSystematicException;

/**
 * Ends a run the way its mode wants: batch mode exits when the inbox is drained (0) or a batch had to
 * stop (2); service mode keeps running but stops the source that hit a systematic error, so it does
 * not pick the same input up again and again.
 */
public final class RunControl {

    public static final int EXIT_BATCH_STOPPED = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);

    private final RunMode mode;
    private final MainSupport main;
    private final Credentials credentials;
    private final AtomicInteger exitCode = new AtomicInteger();

    public RunControl(RunMode mode, MainSupport main, Credentials credentials) {
        this.mode = mode;
        this.main = main;
        this.credentials = credentials;
    }

    public RunMode mode() {
        return mode;
    }

    /** The inbox had nothing more to give. */
    public void inboxDrained() {
        if (mode == RunMode.BATCH) {
            LOG.info("Inbox drained: batch mode run complete, exiting with code {}", exitCode.get());
            main.completed();
        }
    }

    /**
     * A batch stopped early. Logs the one line that names the cause, then stops what would repeat it.
     *
     * The route the exchange came from is the source whose input is kept for a re-run.
     */
    public void batchStopped(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String source = exchange.getIn().getHeader(Exchange.FILE_NAME, "input", String.class);
        LOG.error("Batch {} stopped: {}. The input stays in the inbox for a re-run.", source, credentials.redact(describe(cause)));
        exitCode.set(EXIT_BATCH_STOPPED);
        if (mode == RunMode.BATCH) {
            main.completed();
            return;
        }
        CamelContext context = exchange.getContext();
        LOG.error("Route {} is stopped until the cause is fixed; restart the service (or start the route) to resume", routeId);
        // stopping a route waits for its in-flight exchanges, and this thread is one of them
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(routeId);
            } catch (Exception e) {
                LOG.error("Could not stop route {}: {}", routeId, e.getClass().getSimpleName());
            }
        }, "stop-" + routeId);
        stopper.setDaemon(true);
        stopper.start();
    }

    /** The systematic cause if there is one (it names the fix), else the exception's own type and message. */
    static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ZapiSystematicException systematic) {
                return systematic.getMessage();
            }
        }
        if (cause == null) {
            return "unknown cause";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    public int exitCode() {
        return exitCode.get();
    }
}

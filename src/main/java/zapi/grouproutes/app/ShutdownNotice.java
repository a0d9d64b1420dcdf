package zapi.grouproutes.app;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batches;

/**
 * The first thing a graceful stop (SIGTERM, or the end of a batch-mode run) does: running batches take no
 * more entries. Camel then waits up to {@code camel.main.shutdown-timeout} for the groups in flight to
 * finish and reach every sink, and each batch ends as INCOMPLETE with the reason "shutdown".
 */
final class ShutdownNotice extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownNotice.class);

    private final Batches batches;

    ShutdownNotice(Batches batches) {
        this.batches = batches;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (batches.interruptAll("shutdown") > 0) {
            LOG.warn("Stopping: running batches take no more groups; the groups in flight finish and are written first");
        }
    }
}

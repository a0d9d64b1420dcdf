package zapi.grouproutes.app;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.intake.Failure;

/**
 * A list posted to {@code POST /api/batches} (routes/sources/http-batches.camel.yaml): one batch like a
 * file of the inbox, read from the spool folder where the post put it. Completed, its report is published
 * and the spooled list moves to the spool's .done folder. Failed, the report is discarded and the list stays
 * spooled: a transient cause pauses the http source (its probe resumes it, and the list is taken again), any
 * other stops it until a person acts. The http source runs in service mode only.
 */
public final class ApiBatch extends BatchUnit {

    private static final Logger LOG = LoggerFactory.getLogger(ApiBatch.class);
    /** The run rows' source of a posted list: {@code api-batch-<id>}, also its report's name. */
    public static final String SOURCE_PREFIX = "api-batch-";

    private final String id;
    private final CamelContext context;

    ApiBatch(String id, Source source, Batches batches, RunControl run, CamelContext context) {
        super(source, batches, run);
        this.id = id;
        this.context = context;
    }

    @Override
    public String name() {
        return "http:batch " + id;
    }

    @Override
    protected String runSource() {
        return SOURCE_PREFIX + id;
    }

    @Override
    protected void failed(Failure failure, Batch begun) {
        if (failure.is(Failure.Kind.SHUTDOWN)) {
            // the list stays spooled, and the next start resumes it
            batches.abandon(begun);
            return;
        }
        if (failure.is(Failure.Kind.TRANSIENT)) {
            source.pause(failure.reason(), context);
            LOG.error("API batch {} stopped: {}. The list stays spooled; the http source pauses and the batch resumes by itself once Z-API"
                    + " and the database answer again.", id, failure.reason());
            batches.abandon(begun);
        } else {
            run.unitStopped();
            LOG.error("API batch {} stopped: {}. The list stays spooled for a re-run.", id, failure.reason());
            batches.abandon(begun);
            if (source.stop(failure.reason(), context)) {
                source.sayStopped();
            }
        }
    }
}

package zapi.grouproutes.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.intake.Failure;

/**
 * One batch of every group the instance is in (ZAPI_MODE=batch ZAPI_SOURCES=instance,
 * routes/sources/instance-groups.camel.yaml), keyed by the moment it started: its run row and report are
 * {@code instance}'s. Failed, it ends INCOMPLETE with the reason, publishes no report, marks nothing LEFT,
 * and a batch-mode run exits with code 2; there is no input to roll back, and the next run lists the instance again.
 * Posted as {@code POST /api/batches?from=instance} (service mode), the same batch runs beside the http source.
 */
final class InstanceBatch extends BatchUnit {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceBatch.class);
    static final String SOURCE = "instance";

    private final String inputKey;

    /** @param inputKey {@code instance@<start time>} */
    InstanceBatch(String inputKey, Source source, Batches batches, RunControl run) {
        super(source, batches, run);
        this.inputKey = inputKey;
    }

    @Override
    public String name() {
        return SOURCE;
    }

    @Override
    protected String runSource() {
        return SOURCE;
    }

    @Override
    protected void failed(Failure failure, Batch begun) {
        if (!failure.is(Failure.Kind.SHUTDOWN)) {
            LOG.error("The instance's batch {} stopped: {}. No report was published and no group is marked LEFT.", inputKey, failure.reason());
        }
        batches.abandon(begun);
        if (run.mode() == RunMode.BATCH) {
            run.unitStopped();
            run.endBatchRun();
        }
    }

    @Override
    public boolean endsOnFailure() {
        return true;
    }
}

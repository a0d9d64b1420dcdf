package zapi.grouproutes.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.intake.Failure;

/**
 * A tick of the schedule (routes/sources/schedule): one batch over the managed groups, keyed by the time
 * it was scheduled for. Failed, it ends INCOMPLETE with the reason and publishes no report, whatever the
 * kind: the schedule is neither paused nor stopped, because the next tick is the retry and pausing or
 * stopping a clustered Quartz trigger would stop it for every instance. Batch mode exits with code 2.
 */
public final class TickBatch extends BatchUnit {

    private static final Logger LOG = LoggerFactory.getLogger(TickBatch.class);

    private final String inputKey;

    /** @param inputKey {@code schedule:<name>@<scheduled fire time>} (ScheduleTicks.inputKey) */
    TickBatch(String inputKey, Source source, Batches batches, RunControl run) {
        super(source, batches, run);
        this.inputKey = inputKey;
    }

    /** {@code schedule:<name>}: the tick's key without its time. */
    @Override
    public String name() {
        int at = inputKey.indexOf('@');
        return at < 0 ? inputKey : inputKey.substring(0, at);
    }

    @Override
    protected String runSource() {
        return name();
    }

    @Override
    protected void failed(Failure failure, Batch begun) {
        String next = run.mode() == RunMode.BATCH ? "" : " The next tick tries again.";
        if (failure.is(Failure.Kind.SHUTDOWN)) {
            batches.abandon(begun);
        } else if (begun == null) {
            LOG.error("Tick {} did not start: {}.{}", inputKey, failure.reason(), next);
        } else {
            LOG.error("Tick {} stopped: {}. No report was published; groups it fetched OK are stored.{}", inputKey, failure.reason(), next);
            batches.abandon(begun);
        }
        if (run.mode() == RunMode.BATCH) {
            // the handled failure ends the exchange here: tickDone after the tick is not reached
            run.unitStopped();
            run.endBatchRun();
        }
    }

    /** Handled: a tick has no input to roll back, and Quartz would only log the failure again with a stack trace. */
    @Override
    public boolean endsOnFailure() {
        return true;
    }
}

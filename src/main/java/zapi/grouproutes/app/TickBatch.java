package zapi.grouproutes.app;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.intake.Failure;
import zapi.grouproutes.intake.UnitOfWork;

/**
 * A tick of the schedule (routes/sources/schedule): one batch over the managed groups, keyed by the time
 * it was scheduled for. Failed, it ends INCOMPLETE with the reason and publishes no report, whatever the
 * kind: the schedule is neither paused nor stopped, because the next tick is the retry and pausing or
 * stopping a clustered Quartz trigger would stop it for every instance. Batch mode exits with code 2.
 */
public final class TickBatch implements UnitOfWork {

    private static final Logger LOG = LoggerFactory.getLogger(TickBatch.class);

    private final String inputKey;
    private final Source source;
    private final Batches batches;
    private final RunControl run;
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile Batch batch;

    /** @param inputKey {@code schedule:<name>@<scheduled fire time>} (ScheduleTicks.inputKey) */
    TickBatch(String inputKey, Source source, Batches batches, RunControl run) {
        this.inputKey = inputKey;
        this.source = source;
        this.batches = batches;
        this.run = run;
    }

    @Override
    public String source() {
        return source.name();
    }

    /** {@code schedule:<name>}: the tick's key without its time. */
    @Override
    public String name() {
        int at = inputKey.indexOf('@');
        return at < 0 ? inputKey : inputKey.substring(0, at);
    }

    @Override
    public Batch batch() {
        return batch;
    }

    @Override
    public void begin(String key, Long expectedEntries) throws Exception {
        batch = batches.begin(name(), key, expectedEntries);
    }

    @Override
    public void settled(GroupResult result) {
        batches.delivered(result, batch);
    }

    @Override
    public void complete() throws Exception {
        batches.complete(batch);
    }

    @Override
    public void failed(Failure failure) {
        if (!failed.compareAndSet(false, true)) {
            return;
        }
        Batch begun = batch;
        if (begun != null) {
            begun.stop(failure.reason());
        }
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

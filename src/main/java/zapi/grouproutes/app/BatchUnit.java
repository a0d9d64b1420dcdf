package zapi.grouproutes.app;

import java.util.concurrent.atomic.AtomicBoolean;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.intake.Failure;
import zapi.grouproutes.intake.UnitOfWork;

/**
 * What every batch-shaped unit of work (a file, a tick) does alike: its batch begins with a run row and a
 * report, counts each settled result and publishes on completion; of the failures that several workers may
 * hit together, only the first acts, and it stops the batch before the unit decides what the failure does
 * to its input and its source.
 */
public abstract class BatchUnit implements UnitOfWork {

    protected final Source source;
    protected final Batches batches;
    protected final RunControl run;
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile Batch batch;
    private volatile String notStarted;

    BatchUnit(Source source, Batches batches, RunControl run) {
        this.source = source;
        this.batches = batches;
        this.run = run;
    }

    /** What the batch's run row names as its source: the file's name, or {@code schedule:<name>}. */
    protected abstract String runSource();

    /** The first failure of the unit, its batch (null if it never began) already stopped with the reason. */
    protected abstract void failed(Failure failure, Batch begun);

    @Override
    public String source() {
        return source.name();
    }

    @Override
    public Batch batch() {
        return batch;
    }

    /** Why the unit failed before its batch began (a tick whose status check failed, say), or null. */
    public String notStarted() {
        return notStarted;
    }

    @Override
    public void begin(String inputKey, Long expectedEntries) throws Exception {
        batch = batches.begin(runSource(), inputKey, expectedEntries);
    }

    @Override
    public void settled(GroupResult result) {
        batches.delivered(result, batch);
    }

    @Override
    public void complete() throws Exception {
        batches.complete(batch);
    }

    /** Called by every worker of the batch that hits the failure (the split stops taking entries): the first acts. */
    @Override
    public final void failed(Failure failure) {
        if (!failed.compareAndSet(false, true)) {
            return;
        }
        Batch begun = batch;
        if (begun != null) {
            begun.stop(failure.reason());
        } else {
            notStarted = failure.reason();
        }
        failed(failure, begun);
    }
}

package zapi.grouproutes.app;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.intake.Failure;
import zapi.grouproutes.intake.UnitOfWork;

/**
 * A file of the inbox (routes/sources/inbox-files): one batch with its run row and report. Completed, its
 * report is published and the file consumer moves it to .done. Failed, the report is discarded (never
 * half-written) and the file is rolled back: it stays in the inbox. Batch mode then exits with code 2; in
 * service mode a transient cause pauses the inbox until its probe passes, and any other cause stops it
 * until a person acts.
 */
public final class FileBatch implements UnitOfWork {

    private static final Logger LOG = LoggerFactory.getLogger(FileBatch.class);

    private final String fileName;
    private final Source source;
    private final Batches batches;
    private final RunControl run;
    private final CamelContext context;
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile Batch batch;

    FileBatch(String fileName, Source source, Batches batches, RunControl run, CamelContext context) {
        this.fileName = fileName;
        this.source = source;
        this.batches = batches;
        this.run = run;
        this.context = context;
    }

    @Override
    public String source() {
        return source.name();
    }

    @Override
    public String name() {
        return "inbox:" + fileName;
    }

    @Override
    public Batch batch() {
        return batch;
    }

    @Override
    public void begin(String inputKey, Long expectedEntries) throws Exception {
        batch = batches.begin(fileName, inputKey, expectedEntries);
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
    public void failed(Failure failure) {
        if (!failed.compareAndSet(false, true)) {
            return;
        }
        Batch begun = batch;
        if (begun != null) {
            begun.stop(failure.reason());
        }
        if (failure.is(Failure.Kind.SHUTDOWN)) {
            // abandon says how far the batch got; the input stays for the next start
            batches.abandon(begun);
            if (run.mode() == RunMode.BATCH) {
                // a batch-mode run whose input is not done; a service stopping on purpose exits 0
                run.unitStopped();
            }
            return;
        }
        // before anything slow (abandoning may wait for a dead database): the split may already have rolled
        // the input back, and the inbox must not pick it up again as a new batch meanwhile
        source.holdPolls(context);
        if (run.mode() == RunMode.BATCH) {
            run.unitStopped();
            LOG.error("Batch {} stopped: {}. The input stays in the inbox for a re-run.", fileName, failure.reason());
            batches.abandon(begun);
            // the whole context shuts down; stopping the route as well would race with that shutdown
            run.endBatchRun();
        } else if (failure.is(Failure.Kind.TRANSIENT)) {
            source.pause(failure.reason(), context);
            LOG.error("Batch {} stopped: {}. The input stays in the inbox; intake pauses and resumes by itself once Z-API"
                    + " and the database answer again.", fileName, failure.reason());
            batches.abandon(begun);
        } else {
            run.unitStopped();
            LOG.error("Batch {} stopped: {}. The input stays in the inbox for a re-run.", fileName, failure.reason());
            batches.abandon(begun);
            if (source.stop(failure.reason(), context)) {
                source.sayStopped();
            }
        }
    }
}

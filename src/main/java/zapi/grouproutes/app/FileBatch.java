package zapi.grouproutes.app;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.intake.Failure;

/**
 * A file of the inbox (routes/sources/inbox-files): one batch with its run row and report. Completed, its
 * report is published and the file consumer moves it to .done. Failed, the report is discarded (never
 * half-written) and the file is rolled back: it stays in the inbox. Batch mode then exits with code 2; in
 * service mode a transient cause pauses the inbox until its probe passes, and any other cause stops it
 * until a person acts.
 */
public final class FileBatch extends BatchUnit {

    private static final Logger LOG = LoggerFactory.getLogger(FileBatch.class);

    private final String fileName;
    private final CamelContext context;

    FileBatch(String fileName, Source source, Batches batches, RunControl run, CamelContext context) {
        super(source, batches, run);
        this.fileName = fileName;
        this.context = context;
    }

    @Override
    public String name() {
        return "inbox:" + fileName;
    }

    @Override
    protected String runSource() {
        return fileName;
    }

    @Override
    protected void failed(Failure failure, Batch begun) {
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

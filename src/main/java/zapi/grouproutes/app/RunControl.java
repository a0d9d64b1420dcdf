package zapi.grouproutes.app;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a run the way its mode wants: batch mode exits when the inbox is drained (0), when its one tick is
 * done, or when a unit of work had to stop (2). Service mode keeps running whatever a unit of work did
 * to its source (see Intake and the UnitOfWork implementations); its exit code says whether any had to stop.
 */
public final class RunControl {

    public static final int EXIT_BATCH_STOPPED = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);

    private final RunMode mode;
    private final MainSupport main;
    private final AtomicInteger exitCode = new AtomicInteger();

    public RunControl(RunMode mode, MainSupport main) {
        this.mode = mode;
        this.main = main;
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

    /** Batch mode's one tick (ZAPI_SOURCES=schedule) is done (a stopped one ends the run in TickBatch): the run exits. */
    public void tickDone() {
        if (mode == RunMode.BATCH) {
            LOG.info("Tick done: batch mode run complete, exiting with code {}", exitCode.get());
            main.completed();
        }
    }

    /** Batch mode's one batch of the instance's groups (ZAPI_SOURCES=instance) is done: the run exits. */
    public void instanceListed() {
        if (mode == RunMode.BATCH) {
            LOG.info("The instance's groups are done: batch mode run complete, exiting with code {}", exitCode.get());
            main.completed();
        }
    }

    /** A unit of work could not finish: the run ends with code 2 (service mode: when it is stopped). */
    void unitStopped() {
        exitCode.set(EXIT_BATCH_STOPPED);
    }

    /** Batch mode: a unit of work stopped, and the run ends now with code 2. */
    void endBatchRun() {
        LOG.warn("Ending the batch mode run with exit code {}", EXIT_BATCH_STOPPED);
        main.completed();
    }

    public int exitCode() {
        return exitCode.get();
    }
}

package zapi.grouproutes.batch;

/**
 * A sink that needs to know where a batch begins and ends (a report file opened, then published or
 * discarded). Per-result delivery goes through the sink's route; only the lifecycle comes through here.
 */
public interface BatchSink {

    /** Before the first result of the batch. */
    void begin(Batch batch) throws Exception;

    /**
     * After the last result: make the batch's output visible. Sinks complete in the reverse order of
     * their beginning, and this may be called again after it failed (the step is retried), so it must
     * be idempotent.
     */
    void complete(Batch batch) throws Exception;

    /** The batch stopped early: leave nothing half-written behind. Must not throw. */
    void abandon(Batch batch);
}

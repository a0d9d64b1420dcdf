package zapi.grouproutes.batch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import zapi.grouproutes.enrichment.Outcome;

/**
 * One input file's run: identity, timing, the count per outcome, and where its report went. Shared by
 * all workers of the batch (its unit of work, a file or a tick, travels on the exchange), so counts are concurrent adders.
 */
public final class Batch {

    /** The source of a schedule tick's batch: {@code schedule:<name>}. */
    public static final String SCHEDULE_PREFIX = "schedule:";

    private final String runId = UUID.randomUUID().toString();
    private final String source;
    private final String inputKey;
    private final Instant startedAt;
    private final Map<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);
    private volatile Path reportPath;
    private volatile Instant finishedAt;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile String stopReason;
    private volatile String interruption;
    private volatile List<String> earlierAttempts = List.of();
    private final LongAdder resumed = new LongAdder();
    private final LongAdder taken = new LongAdder();
    /** Entries the input holds, once a source has counted them; -1 while unknown. */
    private volatile long expected = -1;

    /**
     * @param inputKey what identifies this input's content (file name, size and modification time): the
     *                 same key is the same input, so a published one is not read again and an
     *                 interrupted one resumes
     */
    public Batch(String source, String inputKey, Instant startedAt) {
        this.source = source;
        this.inputKey = inputKey;
        this.startedAt = startedAt;
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new LongAdder());
        }
    }

    public String runId() {
        return runId;
    }

    /** The input's name, e.g. {@code groups.txt}, or {@code schedule:<name>} for a schedule's tick. */
    public String source() {
        return source;
    }

    /** A tick of a schedule (routes/sources/schedule.camel.yaml): its report comes with a rotation report. */
    public boolean isScheduleTick() {
        return source.startsWith(SCHEDULE_PREFIX);
    }

    public String inputKey() {
        return inputKey;
    }

    /**
     * Asks the batch to take no more entries (the service is shutting down): the entries in flight finish
     * and are delivered, then the batch ends as incomplete with this reason and its input stays.
     */
    public void interrupt(String reason) {
        interruption = reason;
    }

    /** An entry was handed to enrichment. */
    void taken() {
        taken.increment();
    }

    /** Entries handed to enrichment and not delivered yet. */
    long inFlight() {
        return taken.sum() - total();
    }

    /** Why the batch was asked to stop taking entries, or null. */
    public String interruption() {
        return interruption;
    }

    /** Runs of this same input that did not complete: their OK results are reused instead of fetched again. */
    public List<String> earlierAttempts() {
        return earlierAttempts;
    }

    void resumeFrom(List<String> runIds) {
        earlierAttempts = List.copyOf(runIds);
    }

    /** A group's OK result came from an earlier attempt of this input instead of from Z-API. */
    public void resumed() {
        resumed.increment();
    }

    public long resumedCount() {
        return resumed.sum();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    void finished(Instant at) {
        this.finishedAt = at;
    }

    void count(Outcome outcome) {
        counts.get(outcome).increment();
    }

    /**
     * Marks the batch as stopped early. Several workers can hit the same systematic error at once; only
     * the first one gets {@code true}, so the cause is reported and the report discarded once.
     */
    public boolean stop(String reason) {
        if (stopped.compareAndSet(false, true)) {
            stopReason = reason;
            return true;
        }
        return false;
    }

    /** Why the batch stopped early (secrets already removed), or null. */
    public String stopReason() {
        return stopReason;
    }

    public boolean isStopped() {
        return stopped.get();
    }

    /**
     * The source knows how many entries the input holds (a pre-scan of the file, say): progress lines
     * then show a total and an ETA. Distinct entries, as they will be counted by {@link #total()}.
     */
    public void expect(long entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("a batch cannot expect " + entries + " entries");
        }
        this.expected = entries;
    }

    /** How many entries the batch will have in all, when its source has said so. */
    public OptionalLong expected() {
        long value = expected;
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    public long countOf(Outcome outcome) {
        return counts.get(outcome).sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /**
     * Where the batch's report is published when the batch completes (null with the CSV sink off). Known
     * from the start, so the run table can record it before the report appears.
     */
    public Path reportPath() {
        return reportPath;
    }

    public void reportGoesTo(Path path) {
        this.reportPath = path;
    }
}

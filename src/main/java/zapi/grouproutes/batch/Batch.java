package zapi.grouproutes.batch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import zapi.grouproutes.enrichment.Outcome;

/**
 * One input file's run: identity, timing, the count per outcome, and where its report went. Shared by
 * all workers of the batch (it travels as an exchange property), so counts are concurrent adders.
 */
public final class Batch {

    private final String runId = UUID.randomUUID().toString();
    private final String source;
    private final Instant startedAt;
    private final Map<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);
    private volatile Path reportPath;
    private volatile Instant finishedAt;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile String stopReason;

    public Batch(String source, Instant startedAt) {
        this.source = source;
        this.startedAt = startedAt;
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new LongAdder());
        }
    }

    public String runId() {
        return runId;
    }

    /** The input's name, e.g. {@code groups.txt}. */
    public String source() {
        return source;
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

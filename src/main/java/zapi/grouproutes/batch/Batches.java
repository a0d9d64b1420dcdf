package zapi.grouproutes.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.enrichment.Outcome;

/** Begins, counts and ends batches for the source routes, telling every enabled {@link BatchSink}. */
public final class Batches {

    private static final Logger LOG = LoggerFactory.getLogger(Batches.class);

    private final List<BatchSink> sinks;
    private final Clock clock;

    public Batches(List<BatchSink> sinks, Clock clock) {
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
    }

    public Batch begin(String source) throws Exception {
        Batch batch = new Batch(source, clock.instant());
        // all or nothing: a sink that cannot begin (its database is down, say) undoes the ones before it,
        // so a retried begin leaves no stray report behind
        for (int begun = 0; begun < sinks.size(); begun++) {
            try {
                sinks.get(begun).begin(batch);
            } catch (Exception | Error e) {
                sinks.subList(0, begun).forEach(sink -> sink.abandon(batch));
                throw e;
            }
        }
        LOG.info("Batch {} started (run {})", source, batch.runId());
        return batch;
    }

    /** Called once every enabled sink has taken the result. */
    public void delivered(GroupResult result, Batch batch) {
        batch.count(result.outcome());
    }

    public void complete(Batch batch) throws Exception {
        batch.finished(clock.instant());
        // last begun, first completed: the report is published only once the run table says COMPLETED,
        // so a database that fails at the end stops the batch before anything is published (a retry of
        // this step completes the sinks that are not done yet; the ones that are ignore it)
        for (int i = sinks.size() - 1; i >= 0; i--) {
            sinks.get(i).complete(batch);
        }
        LOG.info("Batch {} done: {} groups ({}) in {}; report {}", batch.source(), batch.total(), countsOf(batch),
                seconds(Duration.between(batch.startedAt(), batch.finishedAt())), batch.reportPath() == null ? "not written (csv sink off)" : batch.reportPath());
    }

    /** Discards what the sinks hold for a batch that stopped early; nothing half-written is published. */
    public void abandon(Batch batch) {
        if (batch == null) {
            return;
        }
        batch.finished(clock.instant());
        sinks.forEach(sink -> sink.abandon(batch));
        LOG.warn("Batch {} abandoned after {} groups ({}); no report was published", batch.source(), batch.total(), countsOf(batch));
    }

    static String countsOf(Batch batch) {
        return Stream.of(Outcome.values()).map(o -> o + " " + batch.countOf(o)).collect(Collectors.joining(", "));
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}

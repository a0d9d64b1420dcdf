package zapi.grouproutes.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.BatchProgress;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.Outcome;

/**
 * One log line per running batch and interval, called by the timer of {@code routes/operations/batch-progress}
 * (which ticks more often than that): how far the batch is, how fast it goes, how its groups ended so
 * far, and when it should end if its size is known. The first line comes one interval after the batch
 * began, so a batch shorter than the interval gets none: its summary line says it all.
 */
public final class ProgressLog {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

    private final Batches batches;
    private final Clock clock;
    private final Duration interval;
    /** When each running batch last got a line (its start until then). */
    private final Map<Batch, Instant> lastLine = new ConcurrentHashMap<>();

    public ProgressLog(Batches batches, Clock clock, Duration interval) {
        this.batches = batches;
        this.clock = clock;
        this.interval = interval;
    }

    /** How often the timer should call {@link #report()}: often enough that a line is at most a second late. */
    public static Duration tick(Duration interval) {
        return interval.compareTo(Duration.ofSeconds(1)) < 0 ? interval : Duration.ofSeconds(1);
    }

    public void report() {
        Instant now = clock.instant();
        Collection<Batch> running = batches.inProgress();
        lastLine.keySet().retainAll(running);
        for (Batch batch : running) {
            Instant last = lastLine.getOrDefault(batch, batch.startedAt());
            if (!now.isBefore(last.plus(interval))) {
                lastLine.put(batch, now);
                LOG.info(line(batch, Duration.between(batch.startedAt(), now)));
            }
        }
    }

    /**
     * {@code Batch groups.txt progress: 1200 / 5000 groups (24%), 40.0 groups/s, OK 1150, PARTIAL 20,
     * FAILED 10, REJECTED 20, ETA 1m35s}; {@code ? groups} and {@code ETA ?} while the size is unknown.
     */
    static String line(Batch batch, Duration elapsed) {
        BatchProgress progress = BatchProgress.of(batch, elapsed);
        StringBuilder line = new StringBuilder("Batch ").append(batch.source()).append(" progress: ").append(progress.done()).append(" / ");
        if (progress.total().isPresent()) {
            line.append(progress.total().getAsLong()).append(" groups");
            progress.percent().ifPresent(percent -> line.append(" (").append(percent).append("%)"));
        } else {
            line.append("? groups");
        }
        line.append(String.format(Locale.ROOT, ", %.1f groups/s", progress.groupsPerSecond()));
        for (Outcome outcome : Outcome.values()) {
            line.append(", ").append(outcome).append(' ').append(batch.countOf(outcome));
        }
        line.append(", ETA ").append(progress.eta().map(ProgressLog::duration).orElse("?"));
        return line.toString();
    }

    /** {@code 35s}, {@code 4m05s}, {@code 2h03m}. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}

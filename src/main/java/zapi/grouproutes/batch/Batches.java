package zapi.grouproutes.batch;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.enrichment.Outcome;
import zapi.grouproutes.group.ListedGroup;

/** Begins, counts and ends batches for the source routes, telling every enabled {@link BatchSink}. */
public final class Batches {

    private static final Logger LOG = LoggerFactory.getLogger(Batches.class);

    private final List<BatchSink> sinks;
    private final EarlierAttempts earlierAttempts;
    private final Clock clock;
    /** Begun and not yet completed or abandoned: what progress lines and metrics report on. */
    private final Set<Batch> inProgress = ConcurrentHashMap.newKeySet();
    /** Every result delivered since startup, per outcome, whichever batch it belonged to. */
    private final Map<Outcome, LongAdder> deliveredSinceStart = new EnumMap<>(Outcome.class);
    /** Longest wait for a stopping batch's groups in flight (see {@link #inFlightWait}). */
    private final Duration inFlightWait;

    /** With the wait {@link #inFlightWait} gives Camel's default shutdown timeout (45 s). */
    public Batches(List<BatchSink> sinks, EarlierAttempts earlierAttempts, Clock clock) {
        this(sinks, earlierAttempts, clock, inFlightWait(Duration.ofSeconds(45)));
    }

    /**
     * @param earlierAttempts null when nothing records runs (no database sink): an interrupted input starts over
     * @param inFlightWait    longest wait for a stopping batch's groups in flight
     */
    public Batches(List<BatchSink> sinks, EarlierAttempts earlierAttempts, Clock clock, Duration inFlightWait) {
        this.sinks = List.copyOf(sinks);
        this.earlierAttempts = earlierAttempts;
        this.clock = clock;
        this.inFlightWait = inFlightWait;
        for (Outcome outcome : Outcome.values()) {
            deliveredSinceStart.put(outcome, new LongAdder());
        }
    }

    /** The batches running now (normally one: the inbox takes one file at a time). */
    public Collection<Batch> inProgress() {
        return List.copyOf(inProgress);
    }

    /** Results delivered since startup with this outcome, all batches together. */
    public long deliveredSinceStart(Outcome outcome) {
        return deliveredSinceStart.get(outcome).sum();
    }

    /** @param expected distinct entries the input holds, when a check counted them first; else null */
    public Batch begin(String source, String inputKey, Long expected) throws Exception {
        Batch batch = new Batch(source, inputKey, clock.instant());
        if (expected != null) {
            batch.expect(expected);
        }
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
        if (earlierAttempts != null && inputKey != null) {
            batch.resumeFrom(earlierAttempts.unfinishedRuns(inputKey, batch.runId()));
        }
        inProgress.add(batch);
        LOG.info("Batch {} started (run {}){}", source, batch.runId(), batch.earlierAttempts().isEmpty() ? ""
                : "; resuming " + batch.earlierAttempts().size() + " unfinished earlier run(s) of the same input: groups they fetched are not fetched again");
        return batch;
    }

    /**
     * The batch ends with the source route's exchange, whatever way that ends: an exchange that fails
     * without reaching a step that ends its batch (a real interrupt skips every error handler; Camel
     * forcing a route down at shutdown) ends it there, so no run row stays RUNNING and no progress is
     * reported for a batch that is gone.
     */
    public void endsWith(Exchange exchange, Batch batch) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (!inProgress.contains(batch)) {
                    return;
                }
                Throwable failure = done.getException();
                batch.stop(batch.interruption() != null ? batch.interruption()
                        : "ended without finishing" + (failure == null ? "" : " (" + failure.getClass().getSimpleName() + ")"));
                // Camel forcing the route down interrupts this thread, and an interrupted thread's JDBC call
                // fails at once: the flag waits until the run row is written
                boolean interrupted = Thread.interrupted();
                try {
                    abandon(batch);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
    }

    /** The service is stopping: every running batch takes no more entries (see {@link #untilInterrupted}); returns how many. */
    public int interruptAll(String reason) {
        inProgress.forEach(batch -> batch.interrupt(reason));
        return inProgress.size();
    }

    /**
     * The batch's entries, until the batch is interrupted: then the split takes no more, lets the ones in
     * flight finish, and {@link #complete} ends the batch as incomplete.
     */
    public <T extends Iterator<ListedGroup> & Closeable> Iterator<ListedGroup> untilInterrupted(T entries, Batch batch) {
        return new InterruptibleEntries<>(entries, batch);
    }

    private record InterruptibleEntries<T extends Iterator<ListedGroup> & Closeable>(T entries, Batch batch)
            implements Iterator<ListedGroup>, Closeable {
        @Override
        public boolean hasNext() {
            return batch.interruption() == null && entries.hasNext();
        }

        @Override
        public ListedGroup next() {
            ListedGroup entry = entries.next();
            batch.taken();
            return entry;
        }

        @Override
        public void close() throws IOException {
            entries.close();
        }
    }

    /**
     * How long a stopping batch waits for its groups in flight, given Camel's shutdown timeout
     * ({@code camel.main.shutdown-timeout}): all of it but the last sixth (1 to 5 s), which is left for
     * ending the batch (its run row INCOMPLETE, its report discarded) before Camel gives up on the route.
     * 30 s gives 25 s; an operator who raises the timeout for slow calls raises this wait with it.
     */
    public static Duration inFlightWait(Duration shutdownTimeout) {
        long margin = Math.max(1_000, Math.min(5_000, shutdownTimeout.toMillis() / 6));
        return Duration.ofMillis(Math.max(0, shutdownTimeout.toMillis() - margin));
    }

    private void awaitInFlight(Batch batch) throws InterruptedException {
        long deadline = System.nanoTime() + inFlightWait.toNanos();
        while (batch.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (batch.inFlight() > 0) {
            LOG.warn("Batch {}: {} groups were still in flight when it ended; they are fetched again on the next run", batch.source(), batch.inFlight());
        }
    }

    /** Called once every enabled sink has taken the result. */
    public void delivered(GroupResult result, Batch batch) {
        deliveredSinceStart.get(result.outcome()).increment();
        if (batch != null) {
            batch.count(result.outcome());
        }
    }

    public void complete(Batch batch) throws Exception {
        if (batch.interruption() != null) {
            // the split stopped early on purpose: not a complete batch, whatever it delivered. While the
            // context stops, the split can end before its last entries are delivered: they are waited for,
            // so they reach every sink and are counted in the run's row
            awaitInFlight(batch);
            throw new BatchInterruptedException(batch.interruption());
        }
        batch.finished(clock.instant());
        // last begun, first completed: the report is published only once the run table says COMPLETED,
        // so a database that fails at the end stops the batch before anything is published (a retry of
        // this step completes the sinks that are not done yet; the ones that are ignore it)
        for (int i = sinks.size() - 1; i >= 0; i--) {
            sinks.get(i).complete(batch);
        }
        inProgress.remove(batch);
        LOG.info("Batch {} done: {} groups ({}) in {}; report {}{}", batch.source(), batch.total(), countsOf(batch),
                seconds(Duration.between(batch.startedAt(), batch.finishedAt())), batch.reportPath() == null ? "not written (csv sink off)" : batch.reportPath(),
                batch.resumedCount() == 0 ? "" : "; " + batch.resumedCount() + " groups resumed from earlier runs ("
                        + 2 * batch.resumedCount() + " Z-API calls saved)");
    }

    /** Discards what the sinks hold for a batch that stopped early; nothing half-written is published. */
    public void abandon(Batch batch) {
        if (batch == null) {
            return;
        }
        inProgress.remove(batch);
        batch.finished(clock.instant());
        inProgress.remove(batch);
        sinks.forEach(sink -> sink.abandon(batch));
        LOG.warn("Batch {} {} after {} groups ({}{}); no report was published; {}", batch.source(),
                batch.interruption() != null ? "interrupted by " + batch.interruption() : "abandoned", batch.total(), countsOf(batch),
                batch.expected().isPresent() ? " of " + batch.expected().getAsLong() + " listed" : "",
                batch.isScheduleTick() ? "the schedule's next tick checks every listed group again"
                        : "its input (a file of the inbox, a list posted to the API) stays for a re-run" + (earlierAttempts == null ? "" : " and its next run reuses the "
                                + batch.countOf(Outcome.OK) + " OK results instead of fetching them again"));
    }

    static String countsOf(Batch batch) {
        return Stream.of(Outcome.values()).map(o -> o + " " + batch.countOf(o)).collect(Collectors.joining(", "));
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}

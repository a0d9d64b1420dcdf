package zapi.grouproutes.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import zapi.grouproutes.app.Intake;
import zapi.grouproutes.app.IntakeStatus;
import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.Outcome;
import zapi.grouproutes.schedule.ScheduleTicks;
import zapi.grouproutes.zapi.RequestBudget;

/**
 * {@code GET /api/overview}: what the service is doing now. Each source's state and cause as readiness
 * reports them, the Z-API request rate of the last minute against the budget's rate, and the batches in
 * progress with done/total, groups per second and an ETA (as the progress log line computes them).
 */
public final class ServiceOverview {

    /** One source: RUNNING, STARTING, PAUSED or STOPPED, with the cause unless running. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceState(String name, String state, String cause, String since) {
    }

    /**
     * Z-API requests per second over the last minute (absent until two readings a few seconds apart exist),
     * the budget's rate now, and the most it may reach.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RequestRateNow(Double perSecond, double budgetPerSecond, double maxPerSecond) {
    }

    /** A batch in progress; {@code expected} and {@code etaSeconds} are absent while its size is unknown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Progress(String runId, String source, String startedAt, long done, Long expected, double groupsPerSecond, Long etaSeconds,
            long ok, long partial, long failed, long rejected) {
    }

    /**
     * What a client may ask of the schedule's rotate ticks (absent when the schedule source is off): its name,
     * whether a rotate revokes links (zapi.rotate.enabled), whether every rotate is only a dry run
     * (zapi.rotate.dry-run), and the most groups one rotate tick may list (zapi.rotate.max-groups).
     */
    public record RotateTicks(String schedule, boolean enabled, boolean dryRun, int maxGroups) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Overview(String at, List<SourceState> sources, RequestRateNow requestRate, List<Progress> inProgress, RotateTicks rotation) {
    }

    private record Reading(Instant at, long requests) {
    }

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration SHORTEST = Duration.ofSeconds(2);

    private final Intake intake;
    private final Batches batches;
    private final RequestBudget budget;
    private final Supplier<MeterRegistry> meters;
    private final Clock clock;
    private final Supplier<ScheduleTicks> schedule;
    private final Deque<Reading> readings = new ArrayDeque<>();

    /** @param schedule the schedule's ticks, or null when the schedule source is off */
    public ServiceOverview(Intake intake, Batches batches, RequestBudget budget, Supplier<MeterRegistry> meters, Supplier<ScheduleTicks> schedule,
            Clock clock) {
        this.schedule = schedule;
        this.intake = intake;
        this.batches = batches;
        this.budget = budget;
        this.meters = meters;
        this.clock = clock;
    }

    public Overview now() {
        Instant now = clock.instant();
        List<SourceState> sources = intake.sources().stream().map(source -> {
            IntakeStatus.Reading reading = source.status().read();
            return new SourceState(source.name(), reading.state().name(), reading.cause(), reading.since().truncatedTo(ChronoUnit.SECONDS).toString());
        }).sorted(Comparator.comparing(SourceState::name)).toList();
        List<Progress> progress = batches.inProgress().stream().sorted(Comparator.comparing(Batch::startedAt)).map(batch -> progress(batch, now)).toList();
        return new Overview(now.truncatedTo(ChronoUnit.SECONDS).toString(), sources,
                new RequestRateNow(requestsPerSecond(now), budget.rate().perSecond(), budget.maxRate()), progress, rotation());
    }

    private RotateTicks rotation() {
        ScheduleTicks ticks = schedule.get();
        return ticks == null ? null : new RotateTicks(ticks.name(), ticks.rotateEnabled(), ticks.dryRunOnly(), ticks.rotateCap());
    }

    static Progress progress(Batch batch, Instant now) {
        long done = batch.total();
        double seconds = Math.max(Duration.between(batch.startedAt(), now).toMillis(), 1) / 1000.0;
        double rate = Math.round(done / seconds * 10) / 10.0;
        OptionalLong expected = batch.expected();
        Long eta = expected.isPresent() && done > 0 ? Math.max(0, (long) Math.ceil((expected.getAsLong() - done) / (done / seconds))) : null;
        return new Progress(batch.runId(), batch.source(), batch.startedAt().truncatedTo(ChronoUnit.SECONDS).toString(), done,
                expected.isPresent() ? expected.getAsLong() : null, rate, eta, batch.countOf(Outcome.OK), batch.countOf(Outcome.PARTIAL),
                batch.countOf(Outcome.FAILED), batch.countOf(Outcome.REJECTED));
    }

    /** From the Z-API request timers' counts, read at each call and kept for a minute. */
    private synchronized Double requestsPerSecond(Instant now) {
        MeterRegistry registry = meters.get();
        if (registry == null) {
            return null;
        }
        long requests = registry.find("zapi.requests").timers().stream().mapToLong(Timer::count).sum();
        readings.addLast(new Reading(now, requests));
        while (readings.size() > 2 && readings.peekFirst().at().isBefore(now.minus(WINDOW))) {
            readings.removeFirst();
        }
        Reading first = readings.peekFirst();
        Duration span = Duration.between(first.at(), now);
        if (span.compareTo(SHORTEST) < 0) {
            return null;
        }
        return Math.round((requests - first.requests()) * 10_000.0 / span.toMillis()) / 10.0;
    }
}

package zapi.grouproutes.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.app.BatchUnit;
import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.BatchProgress;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.database.RunHistory;
import zapi.grouproutes.enrichment.Outcome;
import zapi.grouproutes.intake.UnitOfWork;
import zapi.grouproutes.schedule.ScheduleTicks;
import zapi.grouproutes.schedule.TickRequest;

/**
 * The batch operations of the API (routes/sources/http-batches.camel.yaml): a posted list spooled as a batch
 * (BatchSpool), a batch of the instance's groups, a schedule's tick fired now, and the status and report of
 * each by its id. A batch's status is read where it is: the running batch itself (counts, progress, rate and
 * ETA as the progress log computes them), else its latest run row, else the spool or the ticks accepted and
 * not begun yet (QUEUED).
 */
public final class ApiBatches {

    private static final Logger AUDIT = LoggerFactory.getLogger("zapi.grouproutes.http.audit");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The key of a list's run rows: {@code api-batch:<id>}. */
    static final String LIST_KEY_PREFIX = "api-batch:";
    private static final String TICK = "tick-";
    private static final String INSTANCE = "instance-";
    /** The id of the tick or instance batch an accepted request runs, on the exchange it runs on. */
    private static final String BATCH_ID = "zapiBatchId";
    /** The shape of a tick's id, of this schedule or another (then unknown here, 404, not malformed). */
    private static final java.util.regex.Pattern TICK_ID = java.util.regex.Pattern.compile("tick-[A-Za-z0-9][A-Za-z0-9._-]{0,63}-[0-9]{1,15}");

    private final BatchSpool spool;
    private final RunHistory runs;
    private final Batches batches;
    private final Supplier<ScheduleTicks> ticks;
    private final Clock clock;
    /** Ticks and instance batches accepted and not ended yet, by id; the value: why one ended before it began, or "". */
    private final Map<String, String> fired = new ConcurrentHashMap<>();

    /** @param ticks the schedule's ticks, or null when the schedule source is off */
    public ApiBatches(BatchSpool spool, RunHistory runs, Batches batches, Supplier<ScheduleTicks> ticks, Clock clock) {
        this.spool = spool;
        this.runs = runs;
        this.batches = batches;
        this.ticks = ticks;
        this.clock = clock;
    }

    /** {@code POST /api/batches} with a list: spooled (202) or, the same post again, the batch it made (200). */
    public void postList(Exchange exchange) throws Exception {
        String extension = extensionOf(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String key = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        String caller = exchange.getMessage().getHeader(ApiGate.KEY_NAME_HEADER, String.class);
        String identity = key == null ? "content:" + extension + ":" + sha256(body == null ? new byte[0] : body) : "key:" + caller + ":" + checked(key);
        BatchSpool.Spooled spooled = spool.accept(body == null ? new byte[0] : body, extension, identity, key != null);
        if (spooled.created()) {
            AUDIT.info("API batch {} accepted from key '{}' ({} bytes, text/{})", spooled.id(), caller, body == null ? 0 : body.length,
                    extension.equals("csv") ? "csv" : "plain");
        }
        answer(exchange, spooled.created() ? 202 : 200, status(spooled.id()));
    }

    /** {@code POST /api/batches?from=instance}: one batch of every group the instance is in, run now beside the others. */
    public void postInstance(Exchange exchange) throws Exception {
        String from = exchange.getMessage().getHeader("from", String.class);
        if (!"instance".equals(from)) {
            throw new BadRequestException("from must be instance (a batch of every group the instance is in), not '" + GroupQueries.printable(from)
                    + "'; to post a list, leave from out and send the list as the body.");
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = INSTANCE + at.toEpochMilli();
        fired.put(id, "");
        exchange.setProperty("zapiInputKey", "instance@" + at);
        exchange.setProperty(BATCH_ID, id);
        AUDIT.info("API batch {} (every group of the instance) accepted from key '{}'", id, exchange.getMessage().getHeader(ApiGate.KEY_NAME_HEADER));
        answer(exchange, 202, BatchStatus.queued(id, "instance"));
    }

    /** {@code POST /api/schedules/{name}/ticks?action=}: the tick's request, put on the exchange the tick runs on. */
    public void postTick(Exchange exchange) throws Exception {
        String name = exchange.getMessage().getHeader("name", String.class);
        ScheduleTicks schedule = ticks.get();
        if (schedule == null || !schedule.name().equals(name)) {
            throw new ProblemException(Problem.notFound("No schedule named '" + GroupQueries.printable(String.valueOf(name)) + "' here"
                    + (schedule == null ? " (the schedule source is off: zapi.sources)." : "; this service's is '" + schedule.name() + "' (zapi.schedule.name).")));
        }
        String action = exchange.getMessage().getHeader("action", "check", String.class).strip().toLowerCase(Locale.ROOT);
        if (!action.equals("check") && !action.equals("rotate") && !action.equals("plan")) {
            throw new BadRequestException("action must be check, rotate or plan, not '" + GroupQueries.printable(action) + "'.");
        }
        // plan is a rotate tick's dry run: it revokes nothing, so it needs no opt-in, but keeps the cap
        boolean rotates = !action.equals("check");
        if (action.equals("rotate") && !schedule.rotationAllowed()) {
            throw new ProblemException(Problem.conflict("A rotate tick revokes the invitation link of every listed group: it needs the opt-in"
                    + " zapi.rotate.enabled=true (ZAPI_ROTATE_ENABLED), or zapi.rotate.dry-run=true to see first what would rotate."));
        }
        Long listed = rotates ? schedule.rotateListSize() : null;
        if (listed != null && listed > schedule.rotateCap()) {
            throw new ProblemException(Problem.conflict("The rotate tick would list " + listed + " groups, more than zapi.rotate.max-groups ("
                    + schedule.rotateCap() + "); nothing was rotated. Raise ZAPI_ROTATE_MAX_GROUPS or narrow the list (zapi.schedule.groups)."));
        }
        if (batches.inProgress().stream().anyMatch(batch -> batch.source().equals(schedule.source()))) {
            throw new ProblemException(Problem.conflict("A tick of schedule " + name + " is running; ticks never overlap. Try again once it ends."));
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = TICK + name + "-" + at.toEpochMilli();
        fired.put(id, "");
        exchange.setProperty(TickRequest.PROPERTY, new TickRequest(at, rotates, action.equals("plan")));
        exchange.setProperty(BATCH_ID, id);
        AUDIT.info("API tick {} ({}) of schedule {} accepted from key '{}'", id, action, name, exchange.getMessage().getHeader(ApiGate.KEY_NAME_HEADER));
        answer(exchange, 202, BatchStatus.queued(id, "tick"));
    }

    /** {@code GET /api/batches/{id}}. */
    public BatchStatus status(String id) throws ProblemException, BadRequestException, DatabaseUnavailableException, java.sql.SQLException {
        Known known = known(id);
        for (Batch running : batches.inProgress()) {
            if (known.inputKey().equals(running.inputKey())) {
                return running(id, known.kind(), running);
            }
        }
        Optional<RunHistory.Run> row = runs.latest(known.inputKey());
        if (row.isPresent()) {
            return ofRow(id, known.kind(), row.get());
        }
        String notStarted = fired.get(id);
        if (notStarted != null && !notStarted.isEmpty()) {
            return new BatchStatus(id, known.kind(), "INCOMPLETE", null, null, null, BatchStatus.Counts.NONE, 0L, null, null, null, null, notStarted, null);
        }
        if (notStarted != null || spool.waiting(id)) {
            return BatchStatus.queued(id, known.kind());
        }
        throw unknown(id);
    }

    /** {@code GET /api/batches/{id}/report}: the published report; 409 before it is. */
    public Path report(String id) throws Exception {
        BatchStatus status = status(id);
        if (!status.status().equals("DONE")) {
            throw new ProblemException(Problem.conflict("Batch " + id + " is " + status.status() + "; its report is published once it is DONE."));
        }
        Optional<RunHistory.Run> row = runs.latest(known(id).inputKey());
        String path = row.map(RunHistory.Run::reportPath).orElse(null);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new ProblemException(Problem.notFound("Batch " + id + " is DONE but has no report here" + (path == null
                    ? " (the csv sink is off: zapi.sinks)." : " (its file was moved or removed from zapi.report-dir).")));
        }
        return Path.of(path);
    }

    private record Known(String kind, String inputKey) {
    }

    private Known known(String id) throws ProblemException, BadRequestException {
        if (id != null && BatchSpool.ID.matcher(id).matches()) {
            return new Known("list", LIST_KEY_PREFIX + id);
        }
        Instant at = millisAfter(id, id != null && id.startsWith(INSTANCE) ? INSTANCE.length() : -1);
        if (at != null) {
            return new Known("instance", "instance@" + at);
        }
        ScheduleTicks schedule = ticks.get();
        if (id != null && schedule != null && id.startsWith(TICK + schedule.name() + "-")) {
            at = millisAfter(id, (TICK + schedule.name() + "-").length());
            if (at != null) {
                return new Known("tick", new TickRequest(at, false, false).inputKey(schedule.source()));
            }
        }
        if (id == null || !TICK_ID.matcher(id).matches()) {
            throw new BadRequestException("id '" + GroupQueries.printable(String.valueOf(id)) + "' is not a batch id: 24 hex digits (a posted list),"
                    + " instance-<milliseconds> or tick-<schedule>-<milliseconds>, as a post's Location gives it.");
        }
        throw unknown(id);
    }

    private static Instant millisAfter(String id, int from) {
        if (from < 0 || id.length() == from || id.length() - from > 15 || !id.substring(from).chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Instant.ofEpochMilli(Long.parseLong(id.substring(from)));
    }

    private static ProblemException unknown(String id) {
        return new ProblemException(Problem.notFound("No batch '" + GroupQueries.printable(String.valueOf(id)) + "' here."));
    }

    private BatchStatus running(String id, String kind, Batch batch) {
        BatchProgress progress = BatchProgress.of(batch, Duration.between(batch.startedAt(), clock.instant()));
        BatchStatus.Counts counts = new BatchStatus.Counts(batch.countOf(Outcome.OK), batch.countOf(Outcome.PARTIAL), batch.countOf(Outcome.FAILED),
                batch.countOf(Outcome.REJECTED));
        return new BatchStatus(id, kind, "RUNNING", batch.runId(), batch.startedAt().toString(), null, counts, progress.done(),
                progress.total().isPresent() ? progress.total().getAsLong() : null, progress.percent().isPresent() ? progress.percent().getAsLong() : null,
                Math.round(progress.groupsPerSecond() * 10) / 10.0, progress.eta().map(Duration::toSeconds).orElse(null), null, null);
    }

    private static BatchStatus ofRow(String id, String kind, RunHistory.Run row) {
        BatchStatus.Counts counts = new BatchStatus.Counts(row.ok(), row.partial(), row.failed(), row.rejected());
        String status = switch (row.status()) {
            case "COMPLETED" -> "DONE";
            case "INCOMPLETE" -> "INCOMPLETE";
            default -> "RUNNING";
        };
        boolean done = status.equals("DONE");
        return new BatchStatus(id, kind, status, row.runId(), row.startedAt(), row.finishedAt(), counts, counts.sum(),
                done ? counts.sum() : null, done ? 100L : null, null, null, row.stopReason(), done && row.reportPath() != null ? "/api/batches/" + id + "/report" : null);
    }

    /** On the exchange the tick or instance batch runs on (a copy of the request's): when it ends, the id is no longer QUEUED. */
    public void running(Exchange exchange) {
        String id = exchange.getProperty(BATCH_ID, String.class);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                String notStarted = UnitOfWork.of(done) instanceof BatchUnit unit ? unit.notStarted() : null;
                if (notStarted != null) {
                    fired.put(id, notStarted);
                } else {
                    fired.remove(id);
                }
            }
        });
    }

    private static void answer(Exchange exchange, int code, BatchStatus status) throws JsonProcessingException {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        exchange.getMessage().setHeader("Location", "/api/batches/" + status.id());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsString(status));
    }

    /** txt for text/plain, csv for text/csv; 415 for any other type, or a charset other than UTF-8. */
    static String extensionOf(String contentType) throws ProblemException {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].strip().split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset") && parameter.length == 2
                    && !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8")) {
                throw new ProblemException(Problem.unsupportedMediaType("A list is UTF-8 text; charset " + GroupQueries.printable(parameter[1].strip())
                        + " is not taken."));
            }
        }
        return switch (type) {
            case "text/plain" -> "txt";
            case "text/csv" -> "csv";
            default -> throw new ProblemException(Problem.unsupportedMediaType("A list is text/plain (one group ID per line) or text/csv, not '"
                    + GroupQueries.printable(type) + "'."));
        };
    }

    /** An Idempotency-Key as the caller sent it: 1 to 255 visible ASCII characters. */
    private static String checked(String key) throws BadRequestException {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new BadRequestException("Idempotency-Key must be 1 to 255 visible ASCII characters.");
        }
        return key;
    }

    private static String sha256(byte[] body) throws java.security.NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}

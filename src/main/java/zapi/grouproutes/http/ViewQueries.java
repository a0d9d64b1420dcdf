package zapi.grouproutes.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.database.GroupSearch;
import zapi.grouproutes.database.LinkRotations;
import zapi.grouproutes.database.RunHistory;

/**
 * The list operations the web console reads (routes/sources/http-api-views.camel.yaml), for any API
 * client alike: the request's values checked, with the bad one named, then what the database holds.
 */
public final class ViewQueries {

    static final Set<String> STATUSES = Set.of("OK", "PARTIAL", "FAILED", "LEFT");
    static final int MAX_GROUPS = 100;
    static final int MAX_RUNS = 200;
    static final int MAX_DAYS = 366;

    private final GroupSearch groups;
    private final RunHistory runs;
    private final LinkRotations rotations;
    private final Clock clock;

    public ViewQueries(GroupSearch groups, RunHistory runs, LinkRotations rotations, Clock clock) {
        this.groups = groups;
        this.runs = runs;
        this.rotations = rotations;
        this.clock = clock;
    }

    /** {@code GET /api/groups?q=&status=&after=&limit=}. */
    public GroupSearch.GroupPage groups(String q, String status, String after, String limit) throws BadRequestException, DatabaseUnavailableException,
            SQLException {
        String text = q == null || q.isBlank() ? null : q.strip();
        if (text != null && text.length() > 100) {
            throw new BadRequestException("q is longer than 100 characters.");
        }
        String wanted = status == null || status.isBlank() ? null : status.strip().toUpperCase(Locale.ROOT);
        if (wanted != null && !STATUSES.contains(wanted)) {
            throw new BadRequestException("status must be OK, PARTIAL, FAILED or LEFT, not '" + GroupQueries.printable(status) + "'.");
        }
        String cursor = after == null || after.isBlank() ? null : after.strip();
        if (cursor != null && cursor.length() > 255) {
            throw new BadRequestException("after is not a cursor this API gave.");
        }
        return groups.page(new GroupSearch.Filter(wanted, text), cursor, GroupQueries.number("limit", limit, 25, 1, MAX_GROUPS));
    }

    /** {@code GET /api/runs?limit=}. */
    public RunHistory.RunList runs(String limit) throws BadRequestException, DatabaseUnavailableException, SQLException {
        return runs.newest(GroupQueries.number("limit", limit, 20, 1, MAX_RUNS));
    }

    /** {@code GET /api/rotations?days=}. */
    public LinkRotations.Rotations rotations(String days) throws BadRequestException, DatabaseUnavailableException, SQLException {
        int period = GroupQueries.number("days", days, 7, 1, MAX_DAYS);
        return rotations.since(clock.instant().minus(Duration.ofDays(period)));
    }

    /** {@code GET /api/runs/{runId}/rotations.csv}: the rotation report a tick wrote beside its report. */
    public byte[] rotationReport(String runId) throws BadRequestException, ProblemException, DatabaseUnavailableException, SQLException,
            java.io.IOException {
        if (runId == null || !runId.matches("[0-9a-fA-F-]{1,36}")) {
            throw new BadRequestException("runId must be a run's ID (as GET /api/runs lists them).");
        }
        Path report = runs.run(runId).flatMap(RunHistory::report).orElseThrow(() -> new ProblemException(Problem.notFound("No run " + runId + " with a report.")));
        String name = report.getFileName().toString();
        Path rotations = report.resolveSibling(name.replaceFirst("\\.csv$", "") + "-rotations.csv");
        if (!Files.isReadable(rotations)) {
            throw new ProblemException(Problem.notFound("Run " + runId + " wrote no rotation report (only schedule ticks write one)."));
        }
        return Files.readAllBytes(rotations);
    }
}

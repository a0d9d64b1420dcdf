package zapi.grouproutes.database;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The recorded runs ({@code zapi_enrichment_run}), newest first, for {@code GET /api/runs}: one per batch
 * (a file, a tick, the instance's listing) with its outcome counts. Read by the started_at index. Also the latest
 * run of one input, for {@code GET /api/batches/{id}}.
 */
public final class RunHistory {

    /** One run; {@code reportPath} is the server's own file and never leaves it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(String runId, String source, String status, String startedAt, String finishedAt, long ok, long partial, long failed,
            long rejected, String stopReason, @JsonIgnore String reportPath) {

        /** Whether the run wrote a report (a completed batch of a source that writes one). */
        public boolean getHasReport() {
            return reportPath != null;
        }
    }

    /** The newest runs. */
    public record RunList(List<Run> runs) {
    }

    private final Database database;
    private final SqlTimes times;

    public RunHistory(Database database) {
        this.database = database;
        this.times = database.times();
    }

    public RunList newest(int limit) throws DatabaseUnavailableException, SQLException {
        List<Run> runs = new ArrayList<>();
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement(SELECT + " ORDER BY started_at DESC, run_id LIMIT ?")) {
                s.setInt(1, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        runs.add(run(rs));
                    }
                }
            }
        });
        return new RunList(List.copyOf(runs));
    }

    public Optional<Run> run(String runId) throws DatabaseUnavailableException, SQLException {
        List<Run> found = new ArrayList<>(1);
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE run_id = ?")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        found.add(run(rs));
                    }
                }
            }
        });
        return found.stream().findFirst();
    }

    /** The input's most recent run (a resumed input has several), or empty if none began: the status of an API batch. */
    public Optional<Run> latest(String inputKey) throws DatabaseUnavailableException, SQLException {
        List<Run> found = new ArrayList<>(1);
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE input_key = ? ORDER BY started_at DESC, run_id")) {
                s.setString(1, inputKey);
                s.setMaxRows(1);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        found.add(run(rs));
                    }
                }
            }
        });
        return found.stream().findFirst();
    }

    /** A run's report file, when it has one. */
    public static Optional<Path> report(Run run) {
        return Optional.ofNullable(run.reportPath()).map(Path::of);
    }

    private static final String SELECT = "SELECT run_id, source, status, started_at, finished_at, ok_count, partial_count, failed_count,"
            + " rejected_count, stop_reason, report_path FROM zapi_enrichment_run";

    private Run run(ResultSet rs) throws SQLException {
        return new Run(rs.getString(1), rs.getString(2), rs.getString(3), GroupReadings.iso(times.read(rs, 4)), GroupReadings.iso(times.read(rs, 5)),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10), rs.getString(11));
    }
}

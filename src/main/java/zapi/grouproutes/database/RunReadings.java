package zapi.grouproutes.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The run table as the API reads it: the latest run of an input, by the input's key. */
public final class RunReadings {

    /** One {@code zapi_enrichment_run} row; {@code status} RUNNING, COMPLETED or INCOMPLETE. */
    public record RunRow(String runId, String source, String status, Instant startedAt, Instant finishedAt, long ok, long partial, long failed,
            long rejected, String reportPath, String stopReason) {
    }

    private final Database database;
    private final SqlTimes times;

    public RunReadings(Database database) {
        this.database = database;
        this.times = database.times();
    }

    /** The input's most recent run (a resumed input has several), or empty if none began. */
    public Optional<RunRow> latest(String inputKey) throws DatabaseUnavailableException, SQLException {
        List<RunRow> found = new ArrayList<>(1);
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT run_id, source, status, started_at, finished_at, ok_count, partial_count, failed_count,"
                    + " rejected_count, report_path, stop_reason FROM zapi_enrichment_run WHERE input_key = ? ORDER BY started_at DESC, run_id")) {
                s.setString(1, inputKey);
                s.setMaxRows(1);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        found.add(new RunRow(rs.getString(1), rs.getString(2), rs.getString(3), times.read(rs, 4), times.read(rs, 5), rs.getLong(6),
                                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10), rs.getString(11)));
                    }
                }
            }
        });
        return found.stream().findFirst();
    }
}

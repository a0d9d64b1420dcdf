package zapi.grouproutes.database;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.BatchSink;
import zapi.grouproutes.enrichment.Outcome;

/**
 * One {@code zapi_enrichment_run} row per batch: RUNNING from its start, COMPLETED with the count per
 * status and the report's path when it ends, INCOMPLETE with the reason when it stops early. Runs after
 * the CSV sink, so the report's final path is known when the row is completed.
 */
public final class EnrichmentRuns implements BatchSink {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentRuns.class);

    private final Database database;

    public EnrichmentRuns(Database database) {
        this.database = database;
    }

    @Override
    public void begin(Batch batch) throws RunRecordUnavailableException, SQLException {
        execute("INSERT INTO zapi_enrichment_run (run_id, source, status, started_at, ok_count, partial_count, failed_count, rejected_count)"
                + " VALUES (?, ?, 'RUNNING', ?, 0, 0, 0, 0)", s -> {
                    s.setString(1, batch.runId());
                    s.setString(2, batch.source());
                    database.times().bind(s, 3, batch.startedAt());
                });
    }

    @Override
    public void complete(Batch batch) throws RunRecordUnavailableException, SQLException {
        finish(batch, "COMPLETED", null, batch.reportPath());
    }

    @Override
    public void abandon(Batch batch) {
        try {
            // no report is published for a stopped batch
            finish(batch, "INCOMPLETE", batch.stopReason() == null ? "stopped" : batch.stopReason(), null);
        } catch (RunRecordUnavailableException | SQLException | RuntimeException e) {
            LOG.warn("Run {} of batch {} is left as RUNNING in zapi_enrichment_run: {}", batch.runId(), batch.source(),
                    e instanceof RunRecordUnavailableException ? e.getMessage() : e.getClass().getSimpleName());
        }
    }

    private void finish(Batch batch, String status, String reason, Path report) throws RunRecordUnavailableException, SQLException {
        execute("UPDATE zapi_enrichment_run SET status = ?, finished_at = ?, ok_count = ?, partial_count = ?, failed_count = ?,"
                + " rejected_count = ?, report_path = ?, stop_reason = ? WHERE run_id = ?", s -> {
                    int i = 0;
                    s.setString(++i, status);
                    database.times().bind(s, ++i, batch.finishedAt());
                    for (Outcome outcome : new Outcome[] {Outcome.OK, Outcome.PARTIAL, Outcome.FAILED, Outcome.REJECTED}) {
                        s.setLong(++i, batch.countOf(outcome));
                    }
                    s.setString(++i, report == null ? null : report.toString());
                    s.setString(++i, reason);
                    s.setString(++i, batch.runId());
                });
    }

    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void execute(String sql, Binding binding) throws RunRecordUnavailableException, SQLException {
        try {
            database.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    binding.bind(s);
                    s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            if (DatabaseUnavailableException.isOutage(e)) {
                throw new RunRecordUnavailableException(database.settings().safeUrl(), e);
            }
            throw e;
        }
    }
}

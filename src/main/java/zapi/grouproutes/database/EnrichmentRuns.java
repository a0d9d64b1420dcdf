package zapi.grouproutes.database;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.BatchSink;
import zapi.grouproutes.batch.EarlierAttempts;
import zapi.grouproutes.batch.PublicationLedger;
import zapi.grouproutes.enrichment.Outcome;

/**
 * One {@code zapi_enrichment_run} row per batch: RUNNING from its start, COMPLETED with the count per
 * status and the report's path when it ends, INCOMPLETE with the reason when it stops early. Runs after
 * the CSV sink, so the report's final path is known when the row is completed.
 *
 * <p>The row is also the ledger of inputs ({@link PublicationLedger}): the COMPLETED row that names an
 * input's key is its commit point, and the INCOMPLETE ones name the earlier attempts a rerun resumes
 * ({@link EarlierAttempts}). Each row names the process that runs it, so a RUNNING row whose process died
 * is closed at the next start.
 */
public final class EnrichmentRuns implements BatchSink, PublicationLedger, EarlierAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentRuns.class);

    /** This process, as its runs name it: host, process ID, and an ID of this start (PIDs are reused). */
    static final String OWNER = hostName() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);

    private final Database database;

    public EnrichmentRuns(Database database) {
        this.database = database;
    }

    @Override
    public void begin(Batch batch) throws RunRecordUnavailableException, SQLException {
        execute("INSERT INTO zapi_enrichment_run (run_id, source, status, started_at, ok_count, partial_count, failed_count, rejected_count,"
                + " input_key, owner) VALUES (?, ?, 'RUNNING', ?, 0, 0, 0, 0, ?, ?)", s -> {
                    s.setString(1, batch.runId());
                    s.setString(2, batch.source());
                    database.times().bind(s, 3, batch.startedAt());
                    s.setString(4, batch.inputKey());
                    s.setString(5, OWNER);
                });
    }

    @Override
    public boolean isPublished(String inputKey) throws SQLException {
        return exists("SELECT 1 FROM zapi_enrichment_run WHERE input_key = ? AND status = 'COMPLETED'", inputKey);
    }

    @Override
    public boolean isCommitted(Path report) throws SQLException {
        return exists("SELECT 1 FROM zapi_enrichment_run WHERE report_path = ? AND status = 'COMPLETED'", report.toString());
    }

    @Override
    public List<String> unfinishedRuns(String inputKey, String currentRunId) throws SQLException {
        return runIds("SELECT run_id FROM zapi_enrichment_run WHERE input_key = ? AND status <> 'COMPLETED' AND run_id <> ?",
                inputKey, currentRunId);
    }

    /**
     * Startup: RUNNING rows whose process is gone are closed as INCOMPLETE, so the table tells the truth and
     * their input resumes. A process is known gone when it ran on this host and its PID is not alive, or
     * always when the database is an embedded H2 file (one process at a time). A RUNNING row of another
     * host is left to that host's next start.
     */
    public int closeRunsOfDeadProcesses(boolean singleProcessDatabase, Clock clock) throws SQLException {
        List<String> dead = new ArrayList<>();
        for (String[] run : rows("SELECT run_id, owner FROM zapi_enrichment_run WHERE status = 'RUNNING'")) {
            if (singleProcessDatabase || isDeadHere(run[1])) {
                dead.add(run[0]);
            }
        }
        for (String runId : dead) {
            database.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE zapi_enrichment_run SET status = 'INCOMPLETE', finished_at = ?,"
                        + " stop_reason = ? WHERE run_id = ? AND status = 'RUNNING'")) {
                    database.times().bind(s, 1, clock.instant());
                    s.setString(2, "the process running it ended without finishing it (killed or crashed); its input resumes on the next run");
                    s.setString(3, runId);
                    s.executeUpdate();
                }
            });
            LOG.warn("Run {} was left RUNNING by a process that is gone; marked INCOMPLETE", runId);
        }
        return dead.size();
    }

    /**
     * A schedule tick that Quartz recovered after the instance running it stopped checking in with the
     * cluster: that instance's RUNNING row of the same tick is closed as INCOMPLETE (this tick resumes
     * from what it wrote), so the table never shows two live runs of one tick.
     */
    public int closeRunsOfRecoveredTick(String inputKey, Clock clock) throws SQLException {
        int[] closed = new int[1];
        database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE zapi_enrichment_run SET status = 'INCOMPLETE', finished_at = ?,"
                    + " stop_reason = ? WHERE input_key = ? AND status = 'RUNNING' AND owner <> ?")) {
                database.times().bind(s, 1, clock.instant());
                s.setString(2, "its instance stopped checking in with the scheduler cluster mid-tick; the tick was recovered by " + OWNER);
                s.setString(3, inputKey);
                s.setString(4, OWNER);
                closed[0] = s.executeUpdate();
            }
        });
        if (closed[0] > 0) {
            LOG.warn("Tick {}: {} run(s) of an instance that stopped checking in marked INCOMPLETE; this instance resumes the tick", inputKey, closed[0]);
        }
        return closed[0];
    }

    /**
     * Whether the owner ({@code host/pid/start ID}) of a RUNNING row is a process of this host that is gone.
     * The PID alone cannot tell: in a container the restarted process is PID 1 on the same host name again.
     * So for this process's own PID the start ID decides (the same PID with another start ID is an earlier
     * start); another PID is dead when no process has it.
     */
    private static boolean isDeadHere(String owner) {
        if (owner == null) {
            return false;
        }
        String[] parts = owner.split("/");
        if (parts.length < 2 || !parts[0].equals(hostName()) || owner.equals(OWNER)) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid == ProcessHandle.current().pid()) {
            // this very PID with another start ID: an earlier start of this process (a restarted container)
            return true;
        }
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }

    private boolean exists(String sql, String value) throws SQLException {
        return !runIds(sql, value).isEmpty();
    }

    private List<String> runIds(String sql, String... values) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (String[] row : rows(sql, values)) {
            ids.add(row[0]);
        }
        return ids;
    }

    private List<String[]> rows(String sql, String... values) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    s.setString(i + 1, values[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        String[] row = new String[columns];
                        for (int i = 0; i < columns; i++) {
                            row[i] = rs.getString(i + 1);
                        }
                        rows.add(row);
                    }
                }
            }
        });
        return rows;
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

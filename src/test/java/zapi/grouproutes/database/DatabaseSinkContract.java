package zapi.grouproutes.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.app.RunControl;
import zapi.grouproutes.report.SpreadsheetText;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.GroupLists;
import zapi.grouproutes.support.TestDatabase;

/**
 * The database sink through the real routes, batch mode against the simulator: the tables hold what
 * the CSV report says, a rerun changes only fetch and seen times, a rotated link becomes history, and
 * a failed fetch keeps the last good data. Subclasses say which database.
 */
abstract class DatabaseSinkContract {

    static final String INSTANCE = "inst-db";
    static final String TOKEN = "TkN-db-3e9a51-secret";
    static final String CLIENT_TOKEN = "CtK-db-77c2d4-secret";

    static final String LIST = GroupLists.EVERY_OUTCOME;

    @TempDir
    Path dir;
    TestDatabase database;

    abstract TestDatabase createDatabase(Path dir);

    @BeforeEach
    void createDatabase() {
        database = createDatabase(dir.resolve("database"));
    }

    @AfterEach
    void dropDatabase() throws Exception {
        database.close();
    }

    /** A run against the simulator whose sinks include this test's database. */
    BatchRun batch(String name, ZapiSimulator zapi) {
        return new BatchRun(dir.resolve(name)).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings());
    }

    private BatchRun run(String name, ZapiSimulator zapi, String list) throws IOException {
        return batch(name, zapi).input("groups.txt", list).run();
    }

    static ZapiSimulator simulator(SimulatorOptions options) throws IOException {
        return new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, options).start();
    }

    @Test
    void groupRowsMatchTheCsvReportFieldByField() throws Exception {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            BatchRun run = run("run", zapi, LIST);
            assertThat(run.exitCode()).isZero();

            List<CSVRecord> report = run.reportRows();
            assertThat(report).hasSize(7);
            int compared = 0;
            for (CSVRecord csv : report) {
                List<Map<String, Object>> rows = database.rows("SELECT * FROM zapi_group WHERE group_id = ?", csv.get("group_id"));
                if (csv.get("status").equals("REJECTED")) {
                    assertThat(rows).as("a rejected input is not a group").isEmpty();
                    continue;
                }
                assertThat(rows).as(csv.get("group_id")).hasSize(1);
                Map<String, Object> row = rows.get(0);
                assertThat(row.get("last_status")).isEqualTo(csv.get("status"));
                for (String column : List.of("invitation_link", "subject", "description", "owner", "subject_owner", "error_code",
                        "error_message")) {
                    String dbColumn = column.startsWith("error_") ? "last_" + column : column;
                    // the database keeps raw text; the report guards cells against formulas
                    assertThat(blank(SpreadsheetText.neutralize((String) row.get(dbColumn)))).as("%s %s", csv.get("group_id"), column)
                            .isEqualTo(csv.get(column));
                }
                for (String column : List.of("participants_count", "contacts_count", "admins_count")) {
                    assertThat(blank(row.get(column))).as("%s %s", csv.get("group_id"), column).isEqualTo(csv.get(column));
                }
                for (String column : List.of("created_at", "subject_time")) {
                    assertThat(isoSeconds(row.get(column))).as("%s %s", csv.get("group_id"), column).isEqualTo(csv.get(column));
                }
                assertThat(isoSeconds(row.get("last_fetched_at"))).isEqualTo(csv.get("fetched_at"));
                compared++;
            }
            assertThat(compared).isEqualTo(5);

            Set<List<String>> csvMembers = new HashSet<>();
            for (CSVRecord member : BatchRun.rows(run.participantsReport())) {
                csvMembers.add(List.of(member.get("group_id"), member.get("phone"), member.get("is_admin"), member.get("is_super_admin")));
            }
            Set<List<String>> dbMembers = new HashSet<>();
            for (Map<String, Object> member : database.rows("SELECT * FROM zapi_group_participant")) {
                dbMembers.add(List.of((String) member.get("group_id"), (String) member.get("phone"), String.valueOf(member.get("is_admin")),
                        String.valueOf(member.get("is_super_admin"))));
            }
            assertThat(dbMembers).isNotEmpty().isEqualTo(csvMembers);
        }
    }

    @Test
    void theRunTableMatchesTheReport() throws Exception {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            BatchRun run = run("run", zapi, LIST);
            Map<String, Long> counts = new HashMap<>();
            for (CSVRecord csv : run.reportRows()) {
                counts.merge(csv.get("status"), 1L, Long::sum);
            }
            Map<String, Object> runRow = database.row("SELECT * FROM zapi_enrichment_run");
            assertThat(runRow).containsEntry("source", "groups.txt").containsEntry("status", "COMPLETED")
                    .containsEntry("report_path", run.report().toString()).containsEntry("stop_reason", null);
            assertThat(runRow.get("ok_count")).isEqualTo(counts.get("OK")).isEqualTo(3L);
            assertThat(runRow.get("partial_count")).isEqualTo(counts.get("PARTIAL")).isEqualTo(1L);
            assertThat(runRow.get("failed_count")).isEqualTo(counts.get("FAILED")).isEqualTo(1L);
            assertThat(runRow.get("rejected_count")).isEqualTo(counts.get("REJECTED")).isEqualTo(2L);
            OffsetDateTime started = (OffsetDateTime) runRow.get("started_at");
            OffsetDateTime finished = (OffsetDateTime) runRow.get("finished_at");
            assertThat(finished).isAfterOrEqualTo(started);
            // every group row written by this run says so
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group WHERE last_run_id = ?", runRow.get("run_id"))).isEqualTo(5);
        }
    }

    @Test
    void runningTheSameFileAgainChangesNothingButFetchAndSeenTimesAndTheWritingRun() throws Exception {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            assertThat(run("first", zapi, LIST).exitCode()).isZero();
            List<Map<String, Object>> before = stateWithoutTimes();
            Thread.sleep(1100);
            assertThat(run("second", zapi, LIST).exitCode()).isZero();

            assertThat(stateWithoutTimes()).isEqualTo(before);
            assertThat(database.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'COMPLETED'")).isEqualTo(2);
            // the times did move: the second fetch is the last one, and the second run wrote it
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group WHERE last_fetched_at > first_seen_at")).isEqualTo(5);
            Object secondRun = database.row("SELECT run_id FROM zapi_enrichment_run ORDER BY started_at DESC FETCH FIRST 1 ROW ONLY")
                    .get("run_id");
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group WHERE last_run_id = ?", secondRun)).isEqualTo(5);
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group WHERE last_ok_at = last_fetched_at")).isEqualTo(3);
            assertThat(database.count("SELECT COUNT(*) FROM zapi_invitation_link WHERE last_seen_at > first_seen_at")).isEqualTo(4);
            // each OK check is a participants-count reading: two per OK group, none for PARTIAL or FAILED
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group_reading")).isEqualTo(6);
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group_reading r JOIN zapi_group g ON g.group_id = r.group_id"
                    + " WHERE r.participants_count = g.participants_count AND g.last_status = 'OK'")).isEqualTo(6);
        }
    }

    @Test
    void aLinkRotatedBetweenTwoRunsGivesTwoHistoryRows() throws Exception {
        String rotated = "120363019502650977-group";
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            BatchRun first = run("first", zapi, LIST);
            String oldLink = first.rowsByGroup().get(rotated).get("invitation_link");
            String newLink = redefineLink(zapi, rotated);
            assertThat(newLink).isNotEqualTo(oldLink);
            BatchRun second = run("second", zapi, LIST);
            assertThat(second.rowsByGroup().get(rotated).get("invitation_link")).isEqualTo(newLink);

            List<Map<String, Object>> history = database.rows(
                    "SELECT invitation_link FROM zapi_invitation_link WHERE group_id = ? ORDER BY first_seen_at", rotated);
            assertThat(history).extracting(r -> r.get("invitation_link")).containsExactly(oldLink, newLink);
            assertThat(database.row("SELECT invitation_link FROM zapi_group WHERE group_id = ?", rotated))
                    .containsEntry("invitation_link", newLink);
            // the other groups kept their one link
            assertThat(database.count("SELECT COUNT(*) FROM zapi_invitation_link WHERE group_id <> ?", rotated)).isEqualTo(3);

            // the documented rotation query (docs/sinks.md) finds exactly this rotation
            List<Map<String, Object>> rotations = database.rows(readmeRotationQuery());
            assertThat(rotations).hasSize(1);
            assertThat(rotations.get(0)).containsEntry("group_id", rotated).containsEntry("previous_link", oldLink)
                    .containsEntry("new_link", newLink);
        }
    }

    @Test
    void theDatabaseAloneIsASink() throws Exception {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            BatchRun run = batch("run", zapi).with("zapi.sinks", "jdbc").input("groups.txt", LIST).run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportFiles()).isEmpty();
            assertThat(run.doneInputs()).hasSize(1);
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(5);
            assertThat(database.row("SELECT status, report_path, ok_count, rejected_count FROM zapi_enrichment_run"))
                    .containsEntry("status", "COMPLETED").containsEntry("report_path", null).containsEntry("ok_count", 3L)
                    .containsEntry("rejected_count", 2L);
        }
    }

    @Test
    void aBatchThatStopsIsRecordedAsIncompleteWithItsReason() throws Exception {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            BatchRun run = batch("run", zapi).with("zapi.client-token", "a-wrong-client-token").input("groups.txt", LIST).run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            Map<String, Object> runRow = database.row("SELECT status, finished_at, stop_reason, report_path FROM zapi_enrichment_run");
            assertThat(runRow).containsEntry("status", "INCOMPLETE").containsEntry("report_path", null);
            assertThat(runRow.get("finished_at")).isNotNull();
            assertThat((String) runRow.get("stop_reason")).contains("Client-Token").doesNotContain(TOKEN).doesNotContain("a-wrong-client-token");
        }
    }

    @Test
    void aFetchThatFailsLaterKeepsTheLastGoodData() throws Exception {
        String group = "120363019502650977-group";
        Map<String, Object> good;
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            assertThat(run("good", zapi, group + "\n").exitCode()).isZero();
            good = database.row("SELECT * FROM zapi_group");
        }
        long members = database.count("SELECT COUNT(*) FROM zapi_group_participant");
        assertThat(members).isPositive();
        // every call answers 500: retried, then FAILED
        try (ZapiSimulator broken = simulator(SimulatorOptions.defaults().withFailureRate(1.0))) {
            BatchRun failing = run("failing", broken, group + "\n");
            assertThat(failing.exitCode()).isZero();
            assertThat(failing.rowsByGroup().get(group).get("status")).isEqualTo("FAILED");
        }
        Map<String, Object> after = database.row("SELECT * FROM zapi_group");
        assertThat(after.get("last_status")).isEqualTo("FAILED");
        assertThat((String) after.get("last_error_code")).isNotBlank();
        for (String kept : List.of("invitation_link", "subject", "description", "owner", "created_at", "participants_count",
                "contacts_count", "admins_count", "subject_owner", "subject_time", "first_seen_at", "last_ok_at")) {
            assertThat(after.get(kept)).as(kept).isEqualTo(good.get(kept));
        }
        assertThat(database.count("SELECT COUNT(*) FROM zapi_group_participant")).isEqualTo(members);
    }

    /** The first {@code sql} block of docs/sinks.md: the documented query is the tested one. */
    static String readmeRotationQuery() throws IOException {
        String readme = java.nio.file.Files.readString(Path.of("docs/sinks.md"));
        int start = readme.indexOf("```sql\n") + "```sql\n".length();
        return readme.substring(start, readme.indexOf("```", start)).strip();
    }

    /** What an admin's "reset link" does: the same call the simulator serves as Z-API's redefine-invitation-link. */
    static String redefineLink(ZapiSimulator zapi, String groupId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(zapi.baseUrl() + "/instances/" + INSTANCE + "/token/" + TOKEN
                        + "/redefine-invitation-link/" + groupId))
                .header("Client-Token", CLIENT_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        int at = body.indexOf("https://chat.whatsapp.com/");
        return body.substring(at, body.indexOf('"', at));
    }

    /** Every table's rows, without the columns a rerun changes: fetch and seen times, and the run that wrote them. */
    List<Map<String, Object>> stateWithoutTimes() throws Exception {
        List<Map<String, Object>> state = new ArrayList<>();
        for (Map<String, Object> row : database.rows("SELECT * FROM zapi_group ORDER BY group_id")) {
            row.keySet().removeAll(List.of("last_fetched_at", "last_ok_at", "last_run_id"));
            state.add(row);
        }
        state.addAll(database.rows("SELECT * FROM zapi_group_participant ORDER BY group_id, phone"));
        for (Map<String, Object> row : database.rows("SELECT * FROM zapi_invitation_link ORDER BY group_id, invitation_link")) {
            row.remove("last_seen_at");
            state.add(row);
        }
        return state;
    }

    private static String blank(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String isoSeconds(Object value) {
        return value == null ? "" : ((OffsetDateTime) value).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}

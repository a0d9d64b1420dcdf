package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.report.ReportColumns;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.TestDatabase;

/**
 * Schedule ticks fired by hand (ZAPI_MODE=batch ZAPI_SOURCES=schedule) through the real routes against the
 * simulator, on a database that a file batch filled first: check ticks, rotate ticks, their rotation
 * reports, and the guards on rotation.
 */
class ScheduleTickTest {

    static final String INSTANCE = "inst-77";
    static final String TOKEN = "TkN-sched-5be1c0-secret";
    static final String CLIENT_TOKEN = "CtK-sched-90aa1f-secret";
    static final List<String> GROUPS = List.of("120363019502650001-group", "120363019502650002-group", "120363019502650003-group",
            "120363019502650004-group", "5511999999999-1623281429");

    @TempDir
    Path dir;
    private TestDatabase database;
    private int runs;

    @BeforeEach
    void database() {
        database = TestDatabase.h2(dir.resolve("db"));
    }

    private BatchRun tick(ZapiSimulator zapi) {
        return new BatchRun(dir.resolve("run-" + ++runs)).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .with("zapi.sources", "schedule").with("zapi.schedule.name", "nightly");
    }

    /** The managed groups: a file batch stores them, as an operator's first import would. */
    private void importGroups(ZapiSimulator zapi) throws IOException {
        BatchRun first = new BatchRun(dir.resolve("import")).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .input("groups.txt", String.join("\n", GROUPS) + "\n").run();
        assertThat(first.exitCode()).isZero();
    }

    private Map<String, String> storedLinks() throws SQLException {
        return database.rows("SELECT group_id, invitation_link FROM zapi_group").stream()
                .collect(Collectors.toMap(r -> (String) r.get("group_id"), r -> (String) r.get("invitation_link")));
    }

    private static Map<String, CSVRecord> byGroup(List<CSVRecord> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.get("group_id"), Function.identity()));
    }

    @Test
    void aCheckTickOfTheDatabaseListsExactlyTheGroupsWhoseLinksWereRotatedOutside() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start()) {
            importGroups(zapi);
            Map<String, String> before = storedLinks();
            String rotatedA = zapi.rotateOutside(GROUPS.get(1));
            String rotatedB = zapi.rotateOutside(GROUPS.get(4));

            BatchRun tick = tick(zapi).run();

            assertThat(tick.exitCode()).isZero();
            assertThat(tick.report().getFileName().toString()).matches("nightly-\\d{8}T\\d{6}Z\\.csv");
            assertThat(tick.rowsByGroup()).containsOnlyKeys(GROUPS);
            assertThat(tick.rowsByGroup().values()).extracting(r -> r.get("status")).containsOnly("OK");
            assertThat(Files.readAllLines(tick.rotationsReport()).get(0)).isEqualTo(String.join(",", ReportColumns.ROTATIONS));
            Map<String, CSVRecord> rotations = byGroup(BatchRun.rows(tick.rotationsReport()));
            assertThat(rotations).containsOnlyKeys(GROUPS.get(1), GROUPS.get(4));
            CSVRecord a = rotations.get(GROUPS.get(1));
            assertThat(a.get("previous_link")).isEqualTo(before.get(GROUPS.get(1)));
            assertThat(a.get("new_link")).isEqualTo(rotatedA);
            assertThat(a.get("subject")).startsWith("Grupo ");
            assertThat(a.get("previous_seen_at")).isNotEmpty();
            assertThat(a.get("rotated_at")).isNotEmpty();
            assertThat(rotations.get(GROUPS.get(4)).get("new_link")).isEqualTo(rotatedB);
            // the history has the new links, the table the current ones; the run is the schedule's
            assertThat(database.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(GROUPS.size() + 2);
            assertThat(storedLinks().get(GROUPS.get(1))).isEqualTo(rotatedA);
            assertThat(database.rows("SELECT status, ok_count FROM zapi_enrichment_run WHERE source = 'schedule:nightly'"))
                    .singleElement().satisfies(r -> {
                        assertThat(r.get("status")).isEqualTo("COMPLETED");
                        assertThat(((Number) r.get("ok_count")).intValue()).isEqualTo(GROUPS.size());
                    });

            // nothing changed since: the next tick's rotation report is empty
            BatchRun again = tick(zapi).run();
            assertThat(again.exitCode()).isZero();
            assertThat(BatchRun.rows(again.rotationsReport())).isEmpty();
        }
    }

    @Test
    void aRotateTickGivesEveryGroupANewLinkAndOneHistoryRowEach() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs()) {
            importGroups(zapi);
            Map<String, String> before = storedLinks();

            BatchRun tick = tick(zapi).with("zapi.schedule.action", "rotate").with("zapi.rotate.enabled", "true").run();

            assertThat(tick.exitCode()).isZero();
            Map<String, CSVRecord> rotations = byGroup(BatchRun.rows(tick.rotationsReport()));
            assertThat(rotations).containsOnlyKeys(GROUPS);
            for (String group : GROUPS) {
                String now = zapi.currentLink(group);
                assertThat(now).isNotEqualTo(before.get(group));
                assertThat(rotations.get(group).get("previous_link")).isEqualTo(before.get(group));
                assertThat(rotations.get(group).get("new_link")).isEqualTo(now);
                assertThat(tick.rowsByGroup().get(group).get("invitation_link")).isEqualTo(now);
                assertThat(tick.rowsByGroup().get(group).get("status")).isEqualTo("OK");
                assertThat(database.count("SELECT COUNT(*) FROM zapi_invitation_link WHERE group_id = ?", group)).isEqualTo(2);
            }
            assertThat(storedLinks()).doesNotContainValue(before.get(GROUPS.get(0)));
            assertThat(logs.text()).contains("Rotate tick: 5 groups get a new invitation link").doesNotContain(TOKEN, CLIENT_TOKEN);
        }
    }

    @Test
    void rotateNeedsAnExplicitYesAndADryRunRevokesNothing() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs()) {
            importGroups(zapi);
            Map<String, String> before = storedLinks();

            BatchRun refused = tick(zapi).with("zapi.schedule.action", "rotate").run();
            assertThat(refused.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("set ZAPI_ROTATE_ENABLED=true to allow it");

            BatchRun dryRun = tick(zapi).with("zapi.schedule.action", "rotate").with("zapi.rotate.dry-run", "true").run();
            assertThat(dryRun.exitCode()).isZero();
            for (String group : GROUPS) {
                assertThat(zapi.currentLink(group)).isEqualTo(before.get(group));
            }
            Map<String, CSVRecord> planned = byGroup(BatchRun.rows(dryRun.rotationsReport()));
            assertThat(planned).containsOnlyKeys(GROUPS);
            assertThat(planned.get(GROUPS.get(0)).get("previous_link")).isEqualTo(before.get(GROUPS.get(0)));
            assertThat(planned.get(GROUPS.get(0)).get("new_link")).isEmpty();
            assertThat(logs.text()).contains("Rotate tick (dry run): 5 groups would have their invitation link revoked");
        }
    }

    @Test
    void aRotateTickOverTheCapRevokesNothingAndSaysWhy() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs()) {
            importGroups(zapi);
            Map<String, String> before = storedLinks();
            int requestsBefore = zapi.requestCount();

            BatchRun tick = tick(zapi).with("zapi.schedule.action", "rotate").with("zapi.rotate.enabled", "true")
                    .with("zapi.rotate.max-groups", "3").run();

            assertThat(tick.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            for (String group : GROUPS) {
                assertThat(zapi.currentLink(group)).isEqualTo(before.get(group));
            }
            // the status check only
            assertThat(zapi.requestCount() - requestsBefore).isEqualTo(1);
            assertThat(logs.text()).contains("the rotate tick lists 5 groups, more than zapi.rotate.max-groups (3); nothing was rotated");
            assertThat(tick.reportFiles()).isEmpty();
        }
    }

    @Test
    void aListFileIsReadInPlaceAndNarrowsTheTick() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start()) {
            Path list = dir.resolve("managed.csv");
            Files.writeString(list, "group_id\n" + GROUPS.get(0) + "\n" + GROUPS.get(2) + "\n");

            BatchRun tick = tick(zapi).with("zapi.schedule.groups", list.toString()).run();

            assertThat(tick.exitCode()).isZero();
            assertThat(tick.rowsByGroup()).containsOnlyKeys(GROUPS.get(0), GROUPS.get(2));
            assertThat(list).exists();
            // first sight of these groups: no link to compare with, no rotation row
            assertThat(BatchRun.rows(tick.rotationsReport())).isEmpty();
        }
    }
}

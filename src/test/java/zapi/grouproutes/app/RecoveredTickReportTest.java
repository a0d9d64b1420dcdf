package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * A rotate tick whose instance is killed mid-tick (kill -9) is recovered at the next start (Quartz
 * recovers the job it was running) and resumes the dead run: the groups that run rotated are not rotated
 * again, and the recovered tick's rotation report still lists them, with the links they had before, from
 * the link history.
 */
class RecoveredTickReportTest {

    static final String INSTANCE = "inst-rec";
    static final String TOKEN = "TkN-recover-secret";
    static final String CLIENT_TOKEN = "CtK-recover-secret";
    static final List<String> GROUPS = IntStream.range(1, 9).mapToObj(i -> String.format("1203630195026800%02d-group", i)).toList();

    @TempDir
    Path dir;

    @Test
    void aRecoveredRotateTickReportsTheGroupsItsDeadRunRotated() throws Exception {
        // slow answers, one group at a time: the kill lands mid-tick
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(300)).start();
                TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            BatchRun imported = new BatchRun(dir.resolve("import")).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(db.settings())
                    .with("zapi.concurrency", "8").input("groups.txt", String.join("\n", GROUPS) + "\n").run();
            assertThat(imported.exitCode()).isZero();
            Map<String, String> before = db.rows("SELECT group_id, invitation_link FROM zapi_group").stream()
                    .collect(Collectors.toMap(r -> (String) r.get("group_id"), r -> (String) r.get("invitation_link")));

            // one tick (once a day, at that second) after the instance has started, on one worker
            ZonedDateTime at = Instant.now().plusSeconds(40).truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
            Map<String, String> settings = new HashMap<>(new BatchRun(dir.resolve("service")).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN)
                    .with(db.settings()).settings());
            settings.putAll(Map.of("zapi.mode", "service", "zapi.sources", "schedule", "zapi.schedule.name", "recover",
                    "zapi.schedule.action", "rotate", "zapi.rotate.enabled", "true", "zapi.concurrency", "1",
                    "zapi.schedule.timezone", "UTC", "zapi.schedule.cron", at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " * * ?"));
            int requestsBefore = zapi.requestCount();
            Process first = BatchRun.startProcess(settings, dir.resolve("first"));
            try {
                // the status check, then redefine and metadata per group: killed after three groups and a bit
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                        .until(() -> zapi.requestCount() - requestsBefore >= 1 + 2 * 3 + 1 || !first.isAlive());
                assertThat(first.isAlive()).as("the first instance is mid-tick").isTrue();
            } finally {
                first.destroyForcibly();
                assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }

            ServiceRun second = ServiceRun.start(settings);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                        db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE source = 'schedule:recover' AND status = 'COMPLETED'") == 1);
            } finally {
                second.stop();
            }
            Map<String, Object> recovered = db.row("SELECT run_id, input_key, report_path, started_at FROM zapi_enrichment_run"
                    + " WHERE source = 'schedule:recover' AND status = 'COMPLETED'");
            // the same tick (its scheduled time), resumed from the dead run
            assertThat(db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE input_key = ? AND status = 'INCOMPLETE'",
                    recovered.get("input_key"))).isEqualTo(1);
            long rotatedByTheDeadRun = db.count("SELECT COUNT(*) FROM zapi_group WHERE last_run_id <> ?", recovered.get("run_id"));
            assertThat(rotatedByTheDeadRun).as("groups the dead run rotated and stored").isPositive();

            Path report = Path.of((String) recovered.get("report_path"));
            Path rotationsReport = report.resolveSibling(report.getFileName().toString().replace(".csv", "-rotations.csv"));
            Map<String, CSVRecord> rotations = BatchRun.rows(rotationsReport).stream()
                    .collect(Collectors.toMap(r -> r.get("group_id"), Function.identity()));
            assertThat(rotations).containsOnlyKeys(GROUPS);
            for (String group : GROUPS) {
                assertThat(rotations.get(group).get("previous_link")).as(group).isEqualTo(before.get(group));
                assertThat(rotations.get(group).get("new_link")).as(group).isEqualTo(zapi.currentLink(group));
                assertThat(rotations.get(group).get("change")).as(group).isEqualTo("rotated");
            }
            // each group rotated once: its link before, and the one it has now
            for (String group : GROUPS) {
                assertThat(db.count("SELECT COUNT(*) FROM zapi_invitation_link WHERE group_id = ?", group)).as(group).isEqualTo(2);
            }
        }
    }
}

package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * kill -9 of the application (a process of its own) at ten random points of a batch, each followed by a
 * restart that runs to the end: every group ends in exactly one published report row, the database holds
 * each group and link once, and the input has one COMPLETED run. The kill points are drawn from a seed
 * printed with the result, so a failure can be replayed.
 */
class KillAndRestartTest {

    static final String INSTANCE = "inst-kill";
    static final String TOKEN = "TkN-kill-7c1e0d52";
    static final String CLIENT_TOKEN = "CtK-kill-3a9f6b18";
    static final int GROUPS = 200;
    /** 6 in the suite; -Dkill.points=10 (and -Dkill.seed=N to replay) for the full check. */
    static final int POINTS = Integer.getInteger("kill.points", 6);

    @TempDir
    Path dir;

    @Test
    void killNineAtRandomPointsThenARestartLosesAndRepeatsNothing() throws Exception {
        long seed = Long.getLong("kill.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> results = new ArrayList<>();
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(5)).start()) {
            for (int point = 0; point < POINTS; point++) {
                Path run = dir.resolve("point-" + point);
                // anywhere from before the first request to the end of the batch (about 2 requests per group)
                int killAfterRequests = random.nextInt(2 * GROUPS + 40);
                int before = zapi.requestCount();
                BatchRun batch = new BatchRun(run).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.concurrency", "8")
                        .with("zapi.rate.requests-per-second", "100000").input("groups.txt", InboxBatchTest.ids(GROUPS));
                Process child = batch.startProcess(run);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                        .until(() -> zapi.requestCount() - before >= killAfterRequests || !child.isAlive());
                boolean killed = child.isAlive();
                int requestsBeforeKill = zapi.requestCount() - before;
                child.destroyForcibly();
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                if (!killed) {
                    // a kill point past the batch's last request: the child must have ended by finishing the batch,
                    // not by dying at start-up (then every "kill point" would pass without a kill)
                    assertThat(child.exitValue()).as("the child ended before its kill point (see %s)", run.resolve("child.log")).isZero();
                    assertThat(requestsBeforeKill).as("requests of a child that ended by itself").isLessThan(killAfterRequests);
                }

                int beforeRestart = zapi.requestCount();
                assertThat(batch.run().exitCode()).as("restart after the kill at %d requests (seed %d)", killAfterRequests, seed).isZero();
                if (!killed) {
                    assertThat(zapi.requestCount() - beforeRestart).as("requests of the restart after a child that finished the batch").isZero();
                }
                String outcome = check(batch, run);
                results.add(String.format("point %d: kill -9 after %d requests%s -> %s", point, killAfterRequests,
                        killed ? "" : " (the run had already ended)", outcome));
            }
        }
        System.out.println("kill -9 test, seed " + seed + ":\n  " + String.join("\n  ", results));
    }

    /** The invariants after the restart; returns what was found, for the printed summary. */
    private static String check(BatchRun batch, Path run) throws Exception {
        List<String> reports = batch.reportFiles().stream().filter(n -> n.matches("groups-.*Z(-\\d+)?\\.csv")).toList();
        assertThat(reports).as("published reports").hasSize(1);
        assertThat(batch.reportFiles()).noneMatch(n -> n.endsWith(".part"));
        Map<String, CSVRecord> rows = batch.rowsByGroup();
        Set<String> expected = new HashSet<>(List.of(InboxBatchTest.ids(GROUPS).split("\n")));
        assertThat(rows.keySet()).isEqualTo(expected);
        assertThat(batch.waitingInputs()).isEmpty();
        try (TestDatabase db = TestDatabase.h2(run.resolve("db"))) {
            long groups = rows.values().stream().filter(r -> !r.get("status").equals("REJECTED")).count();
            long links = rows.values().stream().filter(r -> !r.get("invitation_link").isEmpty()).count();
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(groups);
            assertThat(db.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(links);
            assertThat(db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'COMPLETED'")).isEqualTo(1);
            assertThat(db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'RUNNING'")).isZero();
            long incomplete = db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'INCOMPLETE'");
            return String.format("1 report of %d rows, %d groups, %d links, 1 COMPLETED run, %d INCOMPLETE", rows.size(), groups, links, incomplete);
        }
    }
}

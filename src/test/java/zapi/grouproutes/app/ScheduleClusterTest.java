package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * Two service instances in JVMs of their own share one PostgreSQL schema and a per-second cron: each tick
 * fires once between them (counted in zapi_enrichment_run), none lost, none doubled. Then one is killed
 * with -9 and the other goes on firing the ticks.
 */
class ScheduleClusterTest {

    static final String INSTANCE = "inst-cluster";
    static final String TOKEN = "TkN-cluster-11aa-secret";
    static final String CLIENT_TOKEN = "CtK-cluster-22bb-secret";

    @TempDir
    Path dir;

    /** Scheduled second of each run of the schedule, with its status and owner. */
    private static TreeMap<Instant, List<Map<String, Object>>> ticks(TestDatabase db) throws Exception {
        TreeMap<Instant, List<Map<String, Object>>> ticks = new TreeMap<>();
        for (Map<String, Object> run : db.rows("SELECT input_key, status, owner FROM zapi_enrichment_run WHERE source = 'schedule:cluster'")) {
            String key = (String) run.get("input_key");
            ticks.computeIfAbsent(Instant.parse(key.substring(key.indexOf('@') + 1)), k -> new ArrayList<>()).add(run);
        }
        return ticks;
    }

    private static long completed(List<Map<String, Object>> runs) {
        return runs.stream().filter(r -> "COMPLETED".equals(r.get("status"))).count();
    }

    @Test
    void twoInstancesFireEachTickOnceAndTheSurvivorGoesOnAfterAKill() throws Exception {
        try (TestDatabase db = TestDatabase.postgres();
                ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(5)).start()) {
            Path list = dir.resolve("managed.txt");
            Files.writeString(list, "120363019502650001-group\n120363019502650002-group\n");
            Map<String, String> settings = new HashMap<>(new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).settings());
            settings.putAll(db.settings());
            settings.put("zapi.mode", "service");
            settings.put("zapi.sources", "schedule");
            settings.put("zapi.sinks", "jdbc");
            settings.put("zapi.schedule.name", "cluster");
            settings.put("zapi.schedule.groups", list.toString());
            settings.put("zapi.schedule.cron", "* * * * * ?");
            // a dead instance is noticed within about 1 + 7.5 s
            settings.put("zapi.schedule.cluster-checkin-ms", "1000");
            Process a = BatchRun.startProcess(settings, dir.resolve("a"));
            Process b = BatchRun.startProcess(settings, dir.resolve("b"));
            try {
                // both up and ticking; then ten seconds of ticks between them
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> ticks(db).size() >= 3);
                Instant from = ticks(db).lastKey().plusSeconds(1);
                Instant to = from.plusSeconds(10);
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                        .until(() -> !ticks(db).tailMap(to.plusSeconds(2)).isEmpty());

                TreeMap<Instant, List<Map<String, Object>>> ten = new TreeMap<>(ticks(db).subMap(from, true, to, false));
                assertThat(ten.keySet()).as("one tick per second, none lost").hasSize(10);
                assertThat(ten.values()).as("each tick fired once, completed once").allSatisfy(runs -> {
                    assertThat(runs).hasSize(1);
                    assertThat(completed(runs)).isEqualTo(1);
                });

                // kill -9 one instance: the other keeps firing the ticks
                a.destroyForcibly().waitFor();
                Instant killed = Instant.now();
                String survivor = "/" + b.pid() + "/";
                await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ticks(db).tailMap(killed.plusSeconds(3)).size() >= 3);
                TreeMap<Instant, List<Map<String, Object>>> after = new TreeMap<>(ticks(db).tailMap(killed.plusSeconds(3)));
                assertThat(after.values()).allSatisfy(runs -> assertThat(runs).allSatisfy(r ->
                        assertThat((String) r.get("owner")).contains(survivor)));
                String pidA = "/" + a.pid() + "/";
                System.out.printf("Cluster ticks: %d in the 10 s window (%d by A, %d by B); first tick on B alone %d ms after the kill%n",
                        ten.size(), ten.values().stream().filter(runs -> ((String) runs.get(0).get("owner")).contains(pidA)).count(),
                        ten.values().stream().filter(runs -> ((String) runs.get(0).get("owner")).contains(survivor)).count(),
                        Duration.between(killed, ticks(db).tailMap(killed, false).firstKey()).toMillis());
                // nothing ever doubled: at most one COMPLETED run per scheduled second
                assertThat(ticks(db).values()).allSatisfy(runs -> assertThat(completed(runs)).isLessThanOrEqualTo(1));
            } finally {
                a.destroyForcibly();
                b.destroy();
                b.waitFor();
            }
        }
    }
}

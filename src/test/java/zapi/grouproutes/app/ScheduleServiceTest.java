package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * The schedule source in service mode on the embedded H2 (one instance) and on MariaDB (clustered): the
 * cron fires ticks, and ticks missed while the service was down fire once at the next start.
 */
class ScheduleServiceTest {

    static final String INSTANCE = "inst-svc";
    static final String TOKEN = "TkN-svc-4c2d-secret";
    static final String CLIENT_TOKEN = "CtK-svc-8e1f-secret";

    @TempDir
    Path dir;

    /** Services this test started: stopped after it whatever happened, before its database is dropped. */
    private final List<ServiceRun> services = new java.util.ArrayList<>();

    private ServiceRun started(ServiceRun service) {
        services.add(service);
        return service;
    }

    @org.junit.jupiter.api.AfterEach
    void stopServices() throws Exception {
        for (ServiceRun service : services) {
            if (!service.exit().isDone()) {
                service.stop();
            }
        }
    }

    private BatchRun service(ZapiSimulator zapi, TestDatabase db) throws Exception {
        Path list = dir.resolve("managed.txt");
        Files.writeString(list, "120363019502650001-group\n120363019502650002-group\n");
        return new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(db.settings()).with("zapi.sources", "schedule")
                .with("zapi.schedule.groups", list.toString()).with("zapi.schedule.cron", "* * * * * ?")
                // a tick more than two seconds late counts as missed: the restart below, 5 s down, misses several
                // (each at least 4 s late), while a regular tick needs a 2 s stall of a busy machine to count as one
                .with("zapi.schedule.misfire-threshold-ms", "2000");
    }

    private static List<Instant> ticks(TestDatabase db) throws Exception {
        return db.rows("SELECT input_key FROM zapi_enrichment_run WHERE source = 'schedule:managed-groups' AND status = 'COMPLETED'").stream()
                .map(r -> (String) r.get("input_key")).map(key -> Instant.parse(key.substring(key.indexOf('@') + 1))).sorted().toList();
    }

    private void ticksAndCatchesUpOnce(TestDatabase db) throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs()) {
            BatchRun settings = service(zapi, db);
            // time-outs, not waits: on a loaded machine the start alone has taken over 20 s
            ServiceRun first = started(settings.startAsService());
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> ticks(db).size() >= 3);
            assertThat(first.stop()).isZero();
            Instant stopped = Instant.now();
            int before = ticks(db).size();

            // down for 5 s: five ticks are missed, and fire as one at the next start
            Thread.sleep(5000);
            Instant restarting = Instant.now();
            ServiceRun second = started(settings.startAsService());
            await().atMost(Duration.ofSeconds(120)).until(() -> ticks(db).stream().anyMatch(t -> t.isAfter(restarting.plusSeconds(3))));
            assertThat(second.stop()).isZero();

            assertThat(ticks(db).stream().filter(t -> t.isAfter(stopped.plusSeconds(1)) && t.isBefore(restarting)))
                    .as("no tick is run for the seconds the service was down").isEmpty();
            // the cron's own ticks fall on whole seconds; a missed tick fired at once has the moment it fired. The
            // catch-up is what ran after the restart before the cron's first own tick: one tick, not one per missed
            // second. (A regular tick that a stall made late later on is fired the same way, and is not this.)
            List<Instant> afterRestart = ticks(db).stream().filter(t -> t.isAfter(restarting)).toList();
            Instant firstOwnTick = afterRestart.stream().filter(t -> t.getNano() == 0).findFirst().orElseThrow();
            assertThat(afterRestart.stream().filter(t -> t.isBefore(firstOwnTick)))
                    .as("ticks run at the start, before the cron's first own tick (all after the restart: %s)", afterRestart)
                    .hasSize(1).allSatisfy(t -> assertThat(t.getNano()).as("a missed tick fired at once").isNotZero());
            assertThat(ticks(db).size()).isGreaterThan(before);
            assertThat(logs.text()).contains("Schedule managed-groups: cron '* * * * * ?'").doesNotContain(TOKEN, CLIENT_TOKEN);
        } finally {
            // before the caller drops the database under them
            stopServices();
        }
    }

    @Test
    void onTheEmbeddedDatabase() throws Exception {
        ticksAndCatchesUpOnce(TestDatabase.h2(dir.resolve("db")));
    }

    @Test
    void onMariaDb() throws Exception {
        try (TestDatabase db = TestDatabase.mariadb()) {
            ticksAndCatchesUpOnce(db);
        }
    }
}

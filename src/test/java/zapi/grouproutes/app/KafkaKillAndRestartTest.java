package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * kill -9 of the Kafka consumer (the service in a process of its own) at random points, each followed
 * by a restart: no record is lost (every group is in the database and has its event), and a record read
 * again after the kill gives an event with the same id. The kill points come from a printed seed
 * ({@code -Dkill.seed=} replays them).
 */
class KafkaKillAndRestartTest {

    static final String INSTANCE = "inst-kkill";
    static final String TOKEN = "TkN-kkill-51d0a7";
    static final String CLIENT_TOKEN = "CtK-kkill-92be44";
    static final int RECORDS = 200;
    /** 4 in the suite (each point waits for Kafka to see the killed member gone); -Dkill.points=10 for the full check. */
    static final int POINTS = Integer.getInteger("kill.points", 4);
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @TempDir
    Path dir;

    @Test
    void killNineAtRandomPointsThenARestartLosesNoRecord() throws Exception {
        long seed = Long.getLong("kill.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> results = new ArrayList<>();
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(5)).start()) {
            for (int point = 0; point < POINTS; point++) {
                String name = "kill" + point;
                kafka.createTopic(name + ".ids", 2);
                List<String> ids = KafkaTopicSourceTest.validIds(RECORDS, point * 1000);
                kafka.send(name + ".ids", ids);
                Path run = dir.resolve(name);
                BatchRun service = new BatchRun(run).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.mode", "service")
                        .with("zapi.sources", "kafka").with("zapi.sinks", "jdbc,topic").with("zapi.concurrency", "8")
                        .with("zapi.rate.requests-per-second", "100000").with("zapi.kafka.brokers", kafka.bootstrapServers())
                        .with("zapi.kafka.topic", name + ".ids").with("zapi.kafka.rejected-topic", name + ".rejected")
                        .with("zapi.kafka.group-id", name).with("zapi.topic", name + ".results").with("zapi.kafka.max-poll-records", "25")
                        // the broker's smallest: the restart gets the killed member's partitions soonest
                        .with("zapi.kafka.session-timeout-ms", "6000");
                int killAfterRequests = random.nextInt(2 * RECORDS + 20);
                int before = zapi.requestCount();
                Process child = service.startProcess(run);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                        // a service never ends by itself: a point past the last request finds it idle, all committed
                        .until(() -> zapi.requestCount() - before >= killAfterRequests || !child.isAlive()
                                || kafka.committed(name, name + ".ids") == RECORDS);
                assertThat(child.isAlive()).as("the service (see %s)", run.resolve("child.log")).isTrue();
                long committedAtKill = kafka.committed(name, name + ".ids");
                child.destroyForcibly();
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();

                ServiceRun restart = ServiceRun.start(service.settings());
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed(name, name + ".ids") == RECORDS);
                } finally {
                    assertThat(restart.stop()).isZero();
                }
                results.add(String.format("point %d: kill -9 after %d requests, %d records committed then -> %s", point, killAfterRequests,
                        committedAtKill, check(name, run, ids)));
            }
        }
        System.out.println("Kafka kill -9 test, seed " + seed + ":\n  " + String.join("\n  ", results));
    }

    /** No record lost, every repeat with the same event id; returns what was found, for the printed summary. */
    private static String check(String name, Path run, List<String> ids) throws Exception {
        List<ConsumerRecord<String, String>> events = kafka.readAll(name + ".results", Duration.ofSeconds(1));
        Map<String, String> idOfSubject = new HashMap<>();
        for (ConsumerRecord<String, String> r : events) {
            JsonNode event = JSON.readTree(r.value());
            String before = idOfSubject.putIfAbsent(event.get("subject").asText(), event.get("id").asText());
            assertThat(before == null || before.equals(event.get("id").asText())).as("a repeated record keeps its event id").isTrue();
        }
        assertThat(idOfSubject.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        try (TestDatabase db = TestDatabase.h2(run.resolve("db"))) {
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(RECORDS);
            assertThat(db.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(db.count(
                    "SELECT COUNT(*) FROM zapi_group WHERE invitation_link IS NOT NULL"));
        }
        return String.format("%d groups, %d events (%d repeats of a record read again)", RECORDS, events.size(), events.size() - RECORDS);
    }
}

package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * Group IDs from a Kafka topic, results as CloudEvents on another, through the whole service against a
 * real Kafka (KRaft, in this JVM) and the Z-API simulator.
 */
class KafkaTopicSourceTest {

    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @TempDir
    Path dir;

    static List<String> validIds(int count, int offset) {
        return IntStream.range(offset, offset + count).mapToObj(i -> String.format("1203630196%08d-group", i)).toList();
    }

    private BatchRun service(ZapiSimulator simulator, String name, int concurrency) {
        return new BatchRun(dir).against(simulator, "inst-kafka", "tok-kafka-secret", "ct-kafka-secret")
                .with("zapi.mode", "service").with("zapi.sources", "kafka").with("zapi.sinks", "jdbc,topic")
                .with("zapi.kafka.brokers", kafka.bootstrapServers()).with("zapi.kafka.topic", name + ".ids")
                .with("zapi.kafka.rejected-topic", name + ".rejected").with("zapi.kafka.group-id", name + "-group")
                .with("zapi.topic", name + ".results").with("zapi.concurrency", String.valueOf(concurrency))
                .with("zapi.rate.requests-per-second", "2000");
    }

    private static Map<String, JsonNode> eventsById(List<ConsumerRecord<String, String>> records) throws Exception {
        Map<String, JsonNode> events = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode event = JSON.readTree(r.value());
            events.put(event.get("id").asText(), event);
        }
        return events;
    }

    @Test
    void aThousandRecordsGiveOneEventEachTheRejectionsTheirTopicAndTheDatabaseMatches() throws Exception {
        kafka.createTopic("thousand.ids", 4);
        List<String> values = new ArrayList<>(validIds(980, 0));
        List<String> invalid = IntStream.range(0, 20).mapToObj(i -> i % 2 == 0 ? "not-a-group-" + i : "{\"name\":\"no id " + i + "\"}").toList();
        for (int i = 0; i < invalid.size(); i++) {
            values.add(i * 49, invalid.get(i));
        }
        // half the valid ones as JSON, as a producer on a bus would send them
        List<String> sent = values.stream().map(v -> v.endsWith("-group") && v.hashCode() % 2 == 0 ? "{\"groupId\":\"" + v + "\"}" : v).toList();
        kafka.send("thousand.ids", sent);

        try (ZapiSimulator simulator = new ZapiSimulator("inst-kafka", "tok-kafka-secret", "ct-kafka-secret", SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs(); TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            ServiceRun service = ServiceRun.start(service(simulator, "thousand", 8).settings());
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("thousand-group", "thousand.ids") == 1000);
            } finally {
                assertThat(service.stop()).isZero();
            }
            List<ConsumerRecord<String, String>> records = kafka.readAll("thousand.results", Duration.ofSeconds(2));
            Map<String, JsonNode> events = eventsById(records);
            // one event per record: no repeat (no crash here), and no two records sharing an id
            assertThat(records).hasSize(1000);
            assertThat(events).hasSize(1000);
            Map<String, List<JsonNode>> byType = events.values().stream().collect(Collectors.groupingBy(e -> e.get("type").asText()));
            assertThat(byType.keySet()).containsExactlyInAnyOrder("zapi.group.enriched", "zapi.group.rejected");
            assertThat(byType.get("zapi.group.rejected")).hasSize(20)
                    .allSatisfy(e -> assertThat(e.get("data").get("status").asText()).isEqualTo("REJECTED"));
            List<JsonNode> enriched = byType.get("zapi.group.enriched");
            assertThat(enriched).extracting(e -> e.get("subject").asText()).containsExactlyInAnyOrderElementsOf(validIds(980, 0));
            assertThat(enriched).allSatisfy(e -> {
                assertThat(e.get("specversion").asText()).isEqualTo("1.0");
                assertThat(e.get("source").asText()).isEqualTo("/zapi-group-routes/kafka:thousand.ids");
                assertThat(e.get("data").get("group_id").asText()).isEqualTo(e.get("subject").asText());
            });

            // the database holds what the events say, field by field
            Map<String, Map<String, Object>> rows = db.rows("SELECT group_id, last_status, invitation_link, subject, participants_count FROM zapi_group")
                    .stream().collect(Collectors.toMap(r -> (String) r.get("group_id"), r -> r));
            assertThat(rows).hasSize(980);
            for (JsonNode e : enriched) {
                JsonNode data = e.get("data");
                Map<String, Object> row = rows.get(data.get("group_id").asText());
                assertThat(row.get("last_status")).isEqualTo(data.get("status").asText());
                assertThat(row.get("invitation_link")).isEqualTo(data.get("invitation_link").isNull() ? null : data.get("invitation_link").asText());
                assertThat(row.get("subject")).isEqualTo(data.get("subject").isNull() ? null : data.get("subject").asText());
                if (data.get("status").asText().equals("OK")) {
                    assertThat(((Number) row.get("participants_count")).intValue()).isEqualTo(data.get("participants_count").asInt());
                    assertThat(data.get("participants").size()).isEqualTo(db.count("SELECT COUNT(*) FROM zapi_group_participant WHERE group_id = ?",
                            data.get("group_id").asText()));
                }
            }

            List<ConsumerRecord<String, String>> rejected = kafka.readAll("thousand.rejected", Duration.ofSeconds(1));
            assertThat(rejected).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(invalid);
            assertThat(rejected).allSatisfy(r -> {
                assertThat(new String(r.headers().lastHeader("zapiReason").value())).isNotBlank();
                assertThat(new String(r.headers().lastHeader("zapiSourcePosition").value())).matches("thousand\\.ids/[0-3]/[0-9]+@[0-9]+");
                // a copy of the record, not an event: none of the topic sink's headers
                assertThat(r.headers().lastHeader("content-type")).isNull();
            });

            String everything = logs.text() + events.values();
            assertThat(everything).doesNotContain("tok-kafka-secret").doesNotContain("ct-kafka-secret");
        }
    }

    @Test
    void aOnePartitionTopicIsEnrichedAtTheConfiguredConcurrency() throws Exception {
        kafka.createTopic("narrow.ids", 1);
        kafka.send("narrow.ids", validIds(80, 5000));
        // every request held 100 ms at the server: the workers' requests overlap there, however slow the machine
        try (ZapiSimulator simulator = new ZapiSimulator("inst-kafka", "tok-kafka-secret", "ct-kafka-secret",
                SimulatorOptions.defaults().withLatencyMillis(100)).start(); TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            ServiceRun service = ServiceRun.start(service(simulator, "narrow", 8).with("zapi.kafka.max-poll-records", "40").settings());
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> kafka.committed("narrow-group", "narrow.ids") == 80);
            } finally {
                service.stop();
            }
            // one partition is not one record at a time: the 8 workers were all in flight at once, never more
            assertThat(simulator.peakInFlight()).as("requests in flight at once, at the server").isEqualTo(8);
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(80);
        }
    }

    @Test
    void aStopMidStreamCommitsOnlyWhatWasDeliveredAndTheRestartFinishesEveryRecord() throws Exception {
        kafka.createTopic("restart.ids", 2);
        kafka.send("restart.ids", validIds(300, 9000));
        try (ZapiSimulator simulator = new ZapiSimulator("inst-kafka", "tok-kafka-secret", "ct-kafka-secret",
                SimulatorOptions.defaults().withLatencyMillis(20)).start(); TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            BatchRun run = service(simulator, "restart", 4).with("zapi.kafka.max-poll-records", "20");
            ServiceRun first = ServiceRun.start(run.settings());
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committed("restart-group", "restart.ids") >= 60);
            assertThat(first.stop()).isZero();
            long committed = kafka.committed("restart-group", "restart.ids");
            assertThat(committed).isLessThan(300);
            // every committed record went through every sink
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group")).isGreaterThanOrEqualTo(committed);

            ServiceRun second = ServiceRun.start(run.settings());
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committed("restart-group", "restart.ids") == 300);
            } finally {
                second.stop();
            }
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(300);
            // a record read twice (in flight at the stop) gives the same event id: consumers can drop the repeat
            List<ConsumerRecord<String, String>> records = kafka.readAll("restart.results", Duration.ofSeconds(2));
            Set<String> subjects = new HashSet<>();
            for (ConsumerRecord<String, String> r : records) {
                subjects.add(JSON.readTree(r.value()).get("subject").asText());
            }
            assertThat(subjects).hasSize(300);
            assertThat(eventsById(records)).hasSize(300);
        }
    }
}

package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
import zapi.grouproutes.support.TestDatabase;

/** The topic sink under the file source: every row of a report is an event too, and a broker that is down stops the batch. */
class InboxToTopicTest {

    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @TempDir
    Path dir;

    private static BatchRun batch(Path dir, ZapiSimulator simulator, String brokers) {
        return new BatchRun(dir).against(simulator, "inst-it", "tok-it-secret", "ct-it-secret").with("zapi.sinks", "csv,jdbc,topic")
                .with("zapi.kafka.brokers", brokers).with("zapi.topic", "inbox.results");
    }

    @Test
    void everyRowOfAFileIsAlsoAnEventNamingTheFileAsItsSource() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator("inst-it", "tok-it-secret", "ct-it-secret", SimulatorOptions.defaults()).start()) {
            String list = InboxBatchTest.ids(20) + "not-a-group\n";
            BatchRun run = batch(dir.resolve("a"), simulator, kafka.bootstrapServers()).input("groups.txt", list).run();
            assertThat(run.exitCode()).isZero();
            List<JsonNode> events = new ArrayList<>();
            for (ConsumerRecord<String, String> r : kafka.readAll("inbox.results", Duration.ofSeconds(1))) {
                events.add(JSON.readTree(r.value()));
            }
            assertThat(events).hasSize(run.reportRows().size()).hasSize(21);
            assertThat(events).allSatisfy(e -> assertThat(e.get("source").asText()).isEqualTo("/zapi-group-routes/inbox:groups.txt"));
            assertThat(events).filteredOn(e -> e.get("type").asText().equals("zapi.group.rejected")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.get("data").get("input").asText()).isEqualTo("not-a-group");
                        // it names no group
                        assertThat(e.has("subject")).isFalse();
                    });
            assertThat(events.toString()).doesNotContain("tok-it-secret").doesNotContain("ct-it-secret");
        }
    }

    @Test
    void aBrokerThatIsDownStopsTheBatchKeepsTheInputAndPublishesNoReport() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator("inst-it", "tok-it-secret", "ct-it-secret", SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs(); TestDatabase db = TestDatabase.h2(dir.resolve("b").resolve("db"))) {
            // nothing listens on port 1: every send times out
            BatchRun run = batch(dir.resolve("b"), simulator, "127.0.0.1:1").with("zapi.topic.send-timeout-ms", "5500")
                    .with("zapi.topic.retry.max-redeliveries", "1").with("zapi.topic.retry.initial-delay-ms", "100")
                    .input("groups.txt", InboxBatchTest.ids(3)).run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(run.reportFiles()).noneMatch(n -> n.endsWith(".csv"));
            assertThat(db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'INCOMPLETE'")).isEqualTo(1);
            assertThat(logs.text()).contains("Batch groups.txt stopped: Kafka broker not taking events (Topic inbox.results not present in metadata after 5500 ms); check ZAPI_KAFKA_BROKERS").contains("The input stays in the inbox");
        }
    }
}

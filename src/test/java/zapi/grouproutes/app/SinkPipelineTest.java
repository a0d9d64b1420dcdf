package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.TestDatabase;

/**
 * deliver-result's sinks are one pipeline, the database last: a result that one sink could not take is
 * not stored as the group's current link, so the rerun still sees the change, announces it once and
 * lists it in the rotation report. The broker is down (nothing listens) during one run and up on the rerun.
 */
class SinkPipelineTest {

    static final String INSTANCE = "inst-sp";
    static final String TOKEN = "TkN-pipeline-secret";
    static final String CLIENT_TOKEN = "CtK-pipeline-secret";
    static final List<String> GROUPS = List.of("120363019502660001-group", "120363019502660002-group", "120363019502660003-group",
            "120363019502660004-group");
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @TempDir
    Path dir;

    private TestDatabase database;

    private BatchRun run(Path runDir, ZapiSimulator zapi, String sinks, String brokers, String topic) {
        return new BatchRun(runDir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings()).with("zapi.sinks", sinks)
                .with("zapi.kafka.brokers", brokers).with("zapi.topic", topic)
                // a broker that is down fails each send after this long, once
                .with("zapi.topic.send-timeout-ms", "5500").with("zapi.topic.retry.max-redeliveries", "0");
    }

    private Map<String, String> storedLinks() throws SQLException {
        return database.rows("SELECT group_id, invitation_link FROM zapi_group").stream()
                .collect(Collectors.toMap(r -> (String) r.get("group_id"), r -> (String) r.get("invitation_link")));
    }

    private static Map<String, List<JsonNode>> eventsByType(String topic) {
        return kafka.readAll(topic, Duration.ofSeconds(1)).stream().map(r -> {
            try {
                return JSON.readTree(r.value());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.groupingBy(e -> e.get("type").asText()));
    }

    /** The managed groups, stored by a file batch without the topic: the links before. */
    private Map<String, String> importGroups(ZapiSimulator zapi) throws Exception {
        BatchRun first = run(dir.resolve("import"), zapi, "csv,jdbc", kafka.bootstrapServers(), "unused")
                .input("groups.txt", String.join("\n", GROUPS) + "\n").run();
        assertThat(first.exitCode()).isZero();
        return storedLinks();
    }

    @Test
    void aFileRunWhoseTopicSendFailedStoresNoLinkAndTheRerunAnnouncesEachChangeOnce() throws Exception {
        database = TestDatabase.h2(dir.resolve("db"));
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start()) {
            Map<String, String> before = importGroups(zapi);
            String changedA = zapi.rotateOutside(GROUPS.get(1));
            String changedB = zapi.rotateOutside(GROUPS.get(3));

            BatchRun down = run(dir.resolve("again"), zapi, "csv,topic,jdbc", "127.0.0.1:1", "file.results")
                    .input("groups.txt", String.join("\n", GROUPS) + "\n").run();
            assertThat(down.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            // no sink after the topic took the results: the stored links are the ones before
            assertThat(storedLinks()).isEqualTo(before);

            BatchRun up = run(dir.resolve("again"), zapi, "csv,topic,jdbc", kafka.bootstrapServers(), "file.results").run();
            assertThat(up.exitCode()).isZero();

            Map<String, List<JsonNode>> events = eventsByType("file.results");
            assertThat(events.get("zapi.group.enriched")).hasSize(GROUPS.size());
            Map<String, JsonNode> changes = events.get("zapi.group.invitation-link.changed").stream()
                    .collect(Collectors.toMap(e -> e.get("subject").asText(), Function.identity()));
            assertThat(changes).containsOnlyKeys(GROUPS.get(1), GROUPS.get(3));
            assertThat(changes.get(GROUPS.get(1)).get("data").get("previous_link").asText()).isEqualTo(before.get(GROUPS.get(1)));
            assertThat(changes.get(GROUPS.get(1)).get("data").get("new_link").asText()).isEqualTo(changedA);
            assertThat(changes.get(GROUPS.get(3)).get("data").get("new_link").asText()).isEqualTo(changedB);
            assertThat(storedLinks()).containsEntry(GROUPS.get(1), changedA).containsEntry(GROUPS.get(3), changedB);
        }
    }

    @Test
    void aRotateTickWhoseTopicSendFailedIsReportedWholeByTheNextTick() throws Exception {
        database = TestDatabase.h2(dir.resolve("db"));
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start()) {
            Map<String, String> before = importGroups(zapi);

            BatchRun down = run(dir.resolve("tick-down"), zapi, "csv,topic,jdbc", "127.0.0.1:1", "tick.results")
                    .with("zapi.sources", "schedule").with("zapi.schedule.action", "rotate").with("zapi.rotate.enabled", "true").run();
            assertThat(down.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            // the revoked links are still the stored ones, so the next tick's report names them
            assertThat(storedLinks()).isEqualTo(before);

            BatchRun up = run(dir.resolve("tick-up"), zapi, "csv,topic,jdbc", kafka.bootstrapServers(), "tick.results")
                    .with("zapi.sources", "schedule").with("zapi.schedule.action", "rotate").with("zapi.rotate.enabled", "true").run();
            assertThat(up.exitCode()).isZero();

            Map<String, CSVRecord> rotations = BatchRun.rows(up.rotationsReport()).stream()
                    .collect(Collectors.toMap(r -> r.get("group_id"), Function.identity()));
            assertThat(rotations).containsOnlyKeys(GROUPS);
            List<JsonNode> changes = eventsByType("tick.results").get("zapi.group.invitation-link.changed");
            assertThat(changes).extracting(e -> e.get("subject").asText()).containsExactlyInAnyOrderElementsOf(GROUPS);
            for (String group : GROUPS) {
                assertThat(rotations.get(group).get("previous_link")).isEqualTo(before.get(group));
                assertThat(rotations.get(group).get("new_link")).isEqualTo(zapi.currentLink(group));
            }
            assertThat(changes).allSatisfy(e -> assertThat(e.get("data").get("previous_link").asText())
                    .isEqualTo(before.get(e.get("subject").asText())));
        }
    }
}

package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.Outcome;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * Scale-out through a consumer group: instances with the same group share the partitions, each record is
 * enriched by one of them, and the PostgreSQL tables end as with one instance; an instance that joins or
 * leaves mid-stream (a rebalance) loses no record.
 */
class KafkaConsumerGroupTest {

    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @TempDir
    Path dir;

    private BatchRun instance(String name, ZapiSimulator simulator, TestDatabase db, String which) {
        return new BatchRun(dir.resolve(which)).against(simulator, "inst-cg", "tok-cg", "ct-cg").with(db.settings()).with("zapi.mode", "service")
                .with("zapi.sources", "kafka").with("zapi.sinks", "jdbc,topic").with("zapi.concurrency", "4")
                .with("zapi.rate.requests-per-second", "100000").with("zapi.kafka.brokers", kafka.bootstrapServers())
                .with("zapi.kafka.topic", name + ".ids").with("zapi.kafka.rejected-topic", name + ".rejected").with("zapi.kafka.group-id", name)
                .with("zapi.topic", name + ".results").with("zapi.kafka.max-poll-records", "50").with("zapi.kafka.session-timeout-ms", "6000");
    }

    private static long delivered(ServiceRun service) {
        Batches batches = service.app().camelContext().getRegistry().lookupByNameAndType("batches", Batches.class);
        long total = 0;
        for (Outcome outcome : Outcome.values()) {
            total += batches.deliveredSinceStart(outcome);
        }
        return total;
    }

    @Test
    void twoInstancesInOneGroupShareATwoThousandRecordTopicAndEnrichEachRecordOnce() throws Exception {
        kafka.createTopic("pair.ids", 8);
        List<String> ids = KafkaTopicSourceTest.validIds(2000, 20_000);
        try (ZapiSimulator simulator = new ZapiSimulator("inst-cg", "tok-cg", "ct-cg", SimulatorOptions.defaults().withLatencyMillis(5)).start();
                TestDatabase db = TestDatabase.postgres()) {
            ServiceRun first = ServiceRun.start(instance("pair", simulator, db, "a").settings());
            ServiceRun second = ServiceRun.start(instance("pair", simulator, db, "b").settings());
            long one;
            long two;
            try {
                // both members hold partitions before the records come: the split is the group's, not a race of startups
                await().atMost(Duration.ofSeconds(30)).until(() -> kafka.membersWithPartitions("pair") == 2);
                kafka.send("pair.ids", ids);
                await().atMost(Duration.ofSeconds(90)).until(() -> kafka.committed("pair", "pair.ids") == 2000);
                one = delivered(first);
                two = delivered(second);
            } finally {
                assertThat(first.stop()).isZero();
                assertThat(second.stop()).isZero();
            }
            System.out.printf("two instances, one group: %d and %d of 2000 records%n", one, two);
            assertThat(one + two).as("each record enriched once (no crash, so no repeat)").isEqualTo(2000);
            assertThat(one).as("the load is shared").isGreaterThan(200);
            assertThat(two).as("the load is shared").isGreaterThan(200);
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(2000);
            assertThat(db.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(
                    db.count("SELECT COUNT(*) FROM zapi_group WHERE invitation_link IS NOT NULL"));
            assertThat(kafka.readAll("pair.results", Duration.ofSeconds(2))).hasSize(2000);
        }
    }

    @Test
    void aThirdInstanceJoiningAndOneLeavingMidStreamLoseNoRecord() throws Exception {
        kafka.createTopic("shift.ids", 6);
        List<String> ids = KafkaTopicSourceTest.validIds(1500, 40_000);
        kafka.send("shift.ids", ids);
        // 20 ms per call: the stream lasts long enough for the group to change under it
        try (ZapiSimulator simulator = new ZapiSimulator("inst-cg", "tok-cg", "ct-cg", SimulatorOptions.defaults().withLatencyMillis(20)).start();
                TestDatabase db = TestDatabase.postgres()) {
            ServiceRun first = ServiceRun.start(instance("shift", simulator, db, "a").settings());
            ServiceRun second = ServiceRun.start(instance("shift", simulator, db, "b").settings());
            ServiceRun third = null;
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("shift", "shift.ids") >= 300);
                third = ServiceRun.start(instance("shift", simulator, db, "c").settings());
                await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed("shift", "shift.ids") >= 800);
                // one leaves while its polls are in flight: what it had not committed is read again elsewhere
                assertThat(second.stop()).isZero();
                await().atMost(Duration.ofSeconds(90)).until(() -> kafka.committed("shift", "shift.ids") == 1500);
            } finally {
                first.stop();
                if (third != null) {
                    third.stop();
                }
            }
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(1500);
            Set<String> subjects = new HashSet<>();
            for (ConsumerRecord<String, String> r : kafka.readAll("shift.results", Duration.ofSeconds(2))) {
                subjects.add(JSON.readTree(r.value()).get("subject").asText());
            }
            assertThat(subjects).containsExactlyInAnyOrderElementsOf(ids);
        }
    }
}

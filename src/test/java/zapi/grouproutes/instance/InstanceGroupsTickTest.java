package zapi.grouproutes.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.TestDatabase;

/**
 * Schedule ticks over the groups the instance is in (ZAPI_SCHEDULE_GROUPS=instance), fired by hand in batch
 * mode through the real routes: the simulator as Z-API (GET /groups in pages, non-group chats mixed in),
 * PostgreSQL as the database, the topic on an embedded Kafka.
 */
class InstanceGroupsTickTest {

    static final String INSTANCE = "inst-lst";
    static final String TOKEN = "TkN-inst-4f20aa-secret";
    static final String CLIENT_TOKEN = "CtK-inst-77e1b2-secret";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @TempDir
    Path dir;
    private TestDatabase database;
    private ZapiSimulator zapi;
    private int runs;
    private String topic;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.postgres();
        zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
        topic = "instance.results." + System.nanoTime();
    }

    @AfterEach
    void stop() {
        zapi.close();
        database.close();
    }

    private BatchRun tick() {
        return new BatchRun(dir.resolve("run-" + ++runs)).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .with("zapi.sources", "schedule").with("zapi.schedule.name", "ours").with("zapi.schedule.groups", "instance")
                .with("zapi.instance.page-size", "100").with("zapi.sinks", "csv,topic,jdbc")
                .with("zapi.kafka.brokers", kafka.bootstrapServers()).with("zapi.topic", topic)
                .with("zapi.retry.max-redeliveries", "2").with("zapi.retry.initial-delay-ms", "10");
    }

    private Set<String> left() throws SQLException {
        return database.rows("SELECT group_id FROM zapi_group WHERE left_at IS NOT NULL").stream().map(r -> (String) r.get("group_id"))
                .collect(Collectors.toSet());
    }

    private List<JsonNode> events(String type) throws Exception {
        List<JsonNode> events = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> record : kafka.readAll(topic, Duration.ofSeconds(1))) {
            JsonNode event = JSON.readTree(record.value());
            if (event.get("type").asText().equals(type)) {
                events.add(event);
            }
        }
        return events;
    }

    @Test
    void aTickEnrichesEveryGroupOnceAndTheNextMarksTheTenTheInstanceLeftWithoutFetchingThem() throws Exception {
        List<String> groups = zapi.joinGroups(1_000_000, 2_000);
        assertThat(zapi.chatCount()).isGreaterThan(groups.size());

        BatchRun first = tick().run();

        assertThat(first.exitCode()).isZero();
        assertThat(first.rowsByGroup()).containsOnlyKeys(groups);
        assertThat(first.reportRows()).hasSize(groups.size());
        assertThat(groups).allSatisfy(id -> assertThat(zapi.linkRequests(id)).as(id).isEqualTo(1));
        assertThat(database.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(groups.size());
        assertThat(left()).isEmpty();
        assertThat(events("zapi.group.enriched")).hasSize(groups.size());

        List<String> gone = groups.subList(500, 510);
        gone.forEach(zapi::leaveGroup);
        BatchRun second = tick().run();

        assertThat(second.exitCode()).isZero();
        assertThat(second.rowsByGroup().keySet()).hasSize(groups.size() - gone.size()).doesNotContainAnyElementsOf(gone);
        assertThat(left()).containsExactlyInAnyOrderElementsOf(gone);
        assertThat(gone).allSatisfy(id -> assertThat(zapi.linkRequests(id)).as(id).isEqualTo(1));
        assertThat(groups.get(0)).satisfies(id -> assertThat(zapi.linkRequests(id)).isEqualTo(2));
        List<JsonNode> leftEvents = events("zapi.group.left");
        assertThat(leftEvents).extracting(e -> e.get("subject").asText()).containsExactlyInAnyOrderElementsOf(gone);
        assertThat(leftEvents).allSatisfy(e -> {
            assertThat(e.get("source").asText()).isEqualTo("/zapi-group-routes/schedule:ours");
            assertThat(e.get("data").get("left_at").asText()).isNotEmpty();
            assertThat(e.get("data").get("last_listed_at").asText()).isNotEmpty();
        });
        Path leftReport = second.reports().resolve(second.report().getFileName().toString().replace(".csv", "-left.csv"));
        assertThat(BatchRun.rows(leftReport)).extracting(r -> r.get("group_id")).containsExactlyInAnyOrderElementsOf(gone);

        // a third tick: still absent, so neither fetched nor announced again
        BatchRun third = tick().run();
        assertThat(third.exitCode()).isZero();
        assertThat(gone).allSatisfy(id -> assertThat(zapi.linkRequests(id)).as(id).isEqualTo(1));
        assertThat(events("zapi.group.left")).hasSize(gone.size());
        assertThat(left()).containsExactlyInAnyOrderElementsOf(gone);
    }

    @Test
    void aPageThatStillFailsAfterItsRetriesEndsTheTickIncompleteAndMarksNothingLeft() throws Exception {
        List<String> groups = zapi.joinGroups(2_000_000, 300);
        assertThat(tick().run().exitCode()).isZero();
        groups.subList(0, 5).forEach(zapi::leaveGroup);
        zapi.failGroupsPage(3);

        BatchRun failing = tick().run();

        assertThat(failing.exitCode()).isEqualTo(2);
        assertThat(left()).isEmpty();
        assertThat(events("zapi.group.left")).isEmpty();
        assertThat(database.rows("SELECT status FROM zapi_enrichment_run WHERE source = 'schedule:ours' ORDER BY started_at"))
                .extracting(r -> r.get("status")).containsExactly("COMPLETED", "INCOMPLETE");
        assertThat(failing.reportFiles()).noneMatch(name -> name.startsWith("ours-"));
    }

    @Test
    void aLeftGroupTheInstanceListsAgainIsManagedAgain() throws Exception {
        List<String> groups = zapi.joinGroups(3_000_000, 120);
        assertThat(tick().run().exitCode()).isZero();
        String group = groups.get(7);
        zapi.leaveGroup(group);
        assertThat(tick().run().exitCode()).isZero();
        assertThat(left()).containsExactly(group);

        zapi.joinGroupFirst(group);
        BatchRun back = tick().run();

        assertThat(back.exitCode()).isZero();
        assertThat(left()).isEmpty();
        assertThat(back.rowsByGroup()).containsKey(group);
        assertThat(zapi.linkRequests(group)).isEqualTo(2);
    }

    /**
     * A group removed from a page already read pulls the first group of the next page onto it: this tick's
     * listing misses that group, and the second pass made before anything is marked finds it, so it is not
     * LEFT (it is checked by the next tick; the removed group, listed by this tick, is LEFT at the next one).
     * A group added in front pushes the last of a page onto the next: it is enriched once.
     */
    @Test
    void aListingThatChangesBetweenTwoPagesMarksOnlyTheGroupThatWentAndTakesEveryGroupOnce() throws Exception {
        List<String> groups = zapi.joinGroups(4_000_000, 250);
        assertThat(tick().run().exitCode()).isZero();
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        zapi.afterEachGroupsPage(page -> {
            if (page == 1 && once.compareAndSet(false, true)) {
                zapi.leaveGroup(groups.get(3));
            }
        });

        BatchRun moved = tick().run();

        // chats 0..99 are page 1: 5 groups and one other chat in every 6; chat 100 is group 83
        String pulled = groups.get(83);
        assertThat(moved.exitCode()).isZero();
        assertThat(left()).isEmpty();
        assertThat(moved.rowsByGroup().keySet()).contains(groups.get(3)).doesNotContain(pulled).hasSize(groups.size() - 1);
        assertThat(zapi.linkRequests(pulled)).isEqualTo(1);
        zapi.afterEachGroupsPage(null);
        BatchRun next = tick().run();
        assertThat(next.exitCode()).isZero();
        assertThat(left()).containsExactly(groups.get(3));
        assertThat(next.rowsByGroup().keySet()).contains(pulled);

        once.set(false);
        zapi.afterEachGroupsPage(page -> {
            if (page == 1 && once.compareAndSet(false, true)) {
                zapi.joinGroupFirst("120363999999999001-group");
            }
        });
        BatchRun grown = tick().run();

        assertThat(grown.exitCode()).isZero();
        assertThat(grown.reportRows()).extracting(r -> r.get("group_id")).doesNotHaveDuplicates();
        assertThat(grown.rowsByGroup().keySet()).containsAll(groups.stream().filter(id -> !id.equals(groups.get(3))).toList());
        assertThat(left()).containsExactly(groups.get(3));
    }

    /** GET /groups requests a tick made: the simulator's count since {@code before}. */
    private int pagesRead(int before) {
        return zapi.pageRequests().size() - before;
    }

    @Test
    void aCompleteButEmptyListingMarksNothingLeftAndSaysWhy() throws Exception {
        List<String> groups = zapi.joinGroups(5_000_000, 300);
        assertThat(tick().run().exitCode()).isZero();
        groups.forEach(zapi::leaveGroup);
        int before = zapi.pageRequests().size();

        BatchRun empty;
        String log;
        try (CapturedLogs logs = new CapturedLogs()) {
            empty = tick().with("zapi.instance.max-left-percent", "100").run();
            log = logs.text();
        }

        assertThat(empty.exitCode()).isZero();
        assertThat(left()).isEmpty();
        assertThat(events("zapi.group.left")).isEmpty();
        assertThat(log).contains("No group is marked LEFT: the instance's listing is complete but names no group, while the database manages 300");
        // the listing's one (short) page, and no confirming pass: the rule needs none
        assertThat(pagesRead(before)).isEqualTo(1);
        assertThat(empty.reportFiles()).noneMatch(name -> name.endsWith("-left.csv"));
    }

    @Test
    void aListingMissingMoreThanTheMaxPercentMarksNothingUntilTheLimitAllowsIt() throws Exception {
        List<String> groups = zapi.joinGroups(6_000_000, 300);
        assertThat(tick().run().exitCode()).isZero();
        List<String> gone = groups.subList(0, 200);
        gone.forEach(zapi::leaveGroup);

        String log;
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(tick().run().exitCode()).isZero();
            log = logs.text();
        }
        assertThat(left()).isEmpty();
        assertThat(log).contains("No group is marked LEFT: 200 of the 300 managed groups (67%) are missing from the instance's listing,"
                + " more than zapi.instance.max-left-percent (50%)");

        BatchRun allowed = tick().with("zapi.instance.max-left-percent", "70").run();

        assertThat(allowed.exitCode()).isZero();
        assertThat(left()).containsExactlyInAnyOrderElementsOf(gone);
        assertThat(events("zapi.group.left")).hasSize(gone.size());
    }

    /** 250 groups and 50 other chats are three full pages of 100 and an empty fourth. */
    @Test
    void aCheckTickReadsTheListingOnceAndASecondTimeOnlyWhenAManagedGroupIsMissing() throws Exception {
        List<String> groups = zapi.joinGroups(7_000_000, 250);
        int before = zapi.pageRequests().size();
        assertThat(tick().run().exitCode()).isZero();
        assertThat(pagesRead(before)).isEqualTo(4);

        before = zapi.pageRequests().size();
        assertThat(tick().run().exitCode()).isZero();
        assertThat(pagesRead(before)).as("nothing missing: no confirming pass").isEqualTo(4);

        zapi.leaveGroup(groups.get(10));
        before = zapi.pageRequests().size();
        assertThat(tick().run().exitCode()).isZero();
        // 249 groups and 50 other chats: two full pages and a short third, read twice
        assertThat(pagesRead(before)).as("a missing group: the confirming pass").isEqualTo(3 + 3);
        assertThat(left()).containsExactly(groups.get(10));
    }

    @Test
    void aRotateTickReadsTheListingOnceForItsCapAndItsGroups() throws Exception {
        List<String> groups = zapi.joinGroups(8_000_000, 250);
        assertThat(tick().run().exitCode()).isZero();
        int before = zapi.pageRequests().size();

        BatchRun rotate = tick().with("zapi.schedule.action", "rotate").with("zapi.rotate.enabled", "true")
                .with("zapi.rotate.max-groups", "250").run();

        assertThat(rotate.exitCode()).isZero();
        assertThat(pagesRead(before)).isEqualTo(4);
        assertThat(rotate.rowsByGroup()).containsOnlyKeys(groups);
        assertThat(groups).allSatisfy(id -> assertThat(zapi.linkRequests(id)).as(id).isEqualTo(2));

        // over the cap: the listing stops at the page that passes it, and nothing is revoked
        before = zapi.pageRequests().size();
        String log;
        BatchRun capped;
        try (CapturedLogs logs = new CapturedLogs()) {
            capped = tick().with("zapi.schedule.action", "rotate").with("zapi.rotate.enabled", "true")
                    .with("zapi.rotate.max-groups", "90").run();
            log = logs.text();
        }
        assertThat(capped.exitCode()).isEqualTo(2);
        assertThat(pagesRead(before)).isEqualTo(2);
        assertThat(log).contains("the rotate tick lists 166 or more groups, more than zapi.rotate.max-groups (90); nothing was rotated");
        assertThat(groups).allSatisfy(id -> assertThat(zapi.linkRequests(id)).as(id).isEqualTo(2));
    }
}

package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.EmbeddedArtemis;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TcpProxy;
import zapi.grouproutes.support.TestDatabase;

/**
 * Source × failure kind (issue 18): what each source acknowledges, retries and reports when Z-API refuses
 * the credentials (401), Z-API is down (a 503 storm), the database is down, the topic sink's Kafka broker is
 * down, or the input is bad. One service per failure kind runs the inbox, Kafka and JMS sources together,
 * so each cell also shows that a source decides for itself; the schedule's ticks run in batch mode (a tick
 * never pauses or stops its clustered trigger, so it has no state of its own to show: its run row and exit
 * code are the outcome). The brokers and the database are shared by every cell.
 */
class SourceFailureMatrixTest {

    static final String INSTANCE = "inst-matrix";
    static final String TOKEN = "MaTrIxToKeN5r6t7y";
    static final String CLIENT_TOKEN = "MaTrIxClIeNt8u9i0o";
    static final int GROUPS = 10;

    enum Kind { UNAUTHORIZED, ZAPI_STORM, DATABASE_DOWN, BROKER_DOWN, BAD_INPUT }

    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static EmbeddedArtemis artemis;
    static TestDatabase database;
    static TcpProxy databaseRelay;
    static TcpProxy brokerRelay;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void brokersAndDatabase() throws Exception {
        artemis = EmbeddedArtemis.start(shared.resolve("artemis"));
        database = TestDatabase.postgres();
        databaseRelay = new TcpProxy("127.0.0.1", 5432);
        String[] broker = kafka.bootstrapServers().split(",")[0].split(":");
        brokerRelay = new TcpProxy(broker[0], Integer.parseInt(broker[1]));
    }

    @AfterAll
    static void close() throws Exception {
        brokerRelay.close();
        databaseRelay.close();
        database.close();
        artemis.close();
    }

    static void zapiAnswers(int status, String error) {
        zapi.resetAll();
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status).withBody("{\"error\":\"" + error + "\"}")));
    }

    static void healthyZapi() {
        SourceOwnStopTest.healthyZapi(zapi, "/instances/" + INSTANCE + "/token/" + TOKEN);
    }

    /** Z-API requests about these groups (the status probe names none). */
    static long requestsFor(List<String> groups) {
        return zapi.findAll(anyRequestedFor(anyUrl())).stream().filter(r -> groups.stream().anyMatch(g -> r.getUrl().contains(g))).count();
    }

    BatchRun settings(String name) {
        return new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .with("zapi.db.url", database.url().replace(":5432/", ":" + databaseRelay.port() + "/"))
                .with("zapi.db.connect-timeout-ms", "300").with("zapi.db.retry.max-redeliveries", "2")
                // the sink's own outage handling; the shared budget's is ClusterBudgetTest's
                .with("zapi.rate.scope", "instance")
                .with("zapi.sinks", "jdbc,topic").with("zapi.kafka.brokers", "127.0.0.1:" + brokerRelay.port())
                .with("zapi.topic", name + ".results").with("zapi.topic.send-timeout-ms", "5500").with("zapi.topic.retry.max-redeliveries", "0")
                .with("zapi.retry.max-redeliveries", "1").with("zapi.retry.initial-delay-ms", "50").with("zapi.outage.groups-in-a-row", "2")
                .with("zapi.concurrency", "2").with("zapi.intake.probe-interval-ms", "300").with("zapi.intake.probe-max-interval-ms", "1000");
    }

    static String ids(int offset) {
        return String.join("\n", KafkaTopicSourceTest.validIds(GROUPS, offset)) + "\n";
    }

    static List<String> rejected(BatchRun run) throws java.io.IOException {
        Path folder = run.inbox().resolve(".rejected");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    static HealthCheck.Result readiness(ServiceRun service) {
        return SourceOwnStopTest.readiness(service);
    }

    static String state(ServiceRun service, String source) {
        return (String) readiness(service).getDetails().get("intake." + source + ".state");
    }

    static String cause(ServiceRun service, String source) {
        return (String) readiness(service).getDetails().get("intake." + source + ".cause");
    }

    /** The inbox, a Kafka topic and a JMS queue in one service, fed once the failure is in place. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void inboxKafkaAndJms(Kind kind) throws Exception {
        String name = "m" + kind.ordinal();
        healthyZapi();
        kafka.createTopic(name + ".ids", 1);
        kafka.createTopic(name + ".results", 1);
        artemis.createQueue(name + ".q");
        BatchRun run = settings(name).with("zapi.sources", "inbox,kafka,jms").with("zapi.kafka.topic", name + ".ids")
                .with("zapi.kafka.rejected-topic", name + ".rejected").with("zapi.kafka.group-id", name).with("zapi.kafka.max-poll-records", "5")
                .with("zapi.jms.url", artemis.url()).with("zapi.jms.queue", name + ".q").with("zapi.jms.concurrent-consumers", "1")
                .with("zapi.jms.max-deliveries", "2");
        List<String> file = KafkaTopicSourceTest.validIds(GROUPS, 100_000 + 1000 * kind.ordinal());
        List<String> records = KafkaTopicSourceTest.validIds(GROUPS, 200_000 + 1000 * kind.ordinal());
        List<String> messages = KafkaTopicSourceTest.validIds(GROUPS, 300_000 + 1000 * kind.ordinal());
        if (kind == Kind.BROKER_DOWN) {
            // down from the start: the idempotent producer connects at startup, and a connection it has
            // already made to the broker would not go through the relay again
            brokerRelay.cut();
        }
        ServiceRun service = run.startAsService();
        int exit;
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> readiness(service).getState() == HealthCheck.State.UP);
            switch (kind) {
                case UNAUTHORIZED -> zapiAnswers(401, "unauthorized");
                case ZAPI_STORM -> zapiAnswers(503, "Service Unavailable");
                case DATABASE_DOWN -> databaseRelay.cut();
                case BROKER_DOWN, BAD_INPUT -> {
                }
            }
            if (kind == Kind.BAD_INPUT) {
                Files.write(run.inbox().resolve("groups.csv"), new byte[] {0, 1, 2, (byte) 0xff, 10});
                kafka.send(name + ".ids", List.of("not a group", "{\"nothing\":1}"));
                SourceOwnStopTest.send(artemis, name + ".q", List.of("not a group"));
            } else {
                Files.writeString(run.inbox().resolve("groups.txt"), String.join("\n", file) + "\n", StandardCharsets.UTF_8);
                kafka.send(name + ".ids", records);
                SourceOwnStopTest.send(artemis, name + ".q", messages);
            }

            switch (kind) {
                case UNAUTHORIZED -> {
                    // a person is needed: every source stops on its own account, within one unit, and says why
                    for (String source : List.of("inbox", "kafka", "jms")) {
                        await().atMost(Duration.ofSeconds(60)).until(() -> "STOPPED".equals(state(service, source)));
                        assertThat(cause(service, source)).startsWith("Client-Token or instance token rejected (HTTP 401");
                    }
                    for (String route : List.of("inbox-files", "kafka-topic", "jms-queue")) {
                        await().atMost(Duration.ofSeconds(20)).until(() -> SourceOwnStopTest.route(service, route) == ServiceStatus.Stopped);
                    }
                    long inbox = requestsFor(file);
                    long topic = requestsFor(records);
                    long queue = requestsFor(messages);
                    // within one unit: the file's entries the split handed out before it stopped, a poll (5) for
                    // Kafka, the one message for JMS; and none after
                    System.out.printf("Revoked credentials: Z-API requests until each source stopped: inbox %d, kafka %d, jms %d%n",
                            inbox, topic, queue);
                    assertThat(inbox).isBetween(1L, (long) GROUPS);
                    assertThat(topic).isBetween(1L, 5L);
                    assertThat(queue).isEqualTo(1L);
                    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> true);
                    assertThat(List.of(requestsFor(file), requestsFor(records), requestsFor(messages))).containsExactly(inbox, topic, queue);
                    // nothing acknowledged: the file waits, the poll is not committed, the messages stay, none dead-lettered
                    assertThat(run.waitingInputs()).containsExactly("groups.txt");
                    assertThat(kafka.committed(name, name + ".ids")).isZero();
                    assertThat(artemis.messageCount(name + ".q")).isEqualTo(GROUPS);
                    assertThat(artemis.messageCount(name + ".q.DLQ")).isZero();
                    assertThat(readiness(service).getState()).isEqualTo(HealthCheck.State.DOWN);
                }
                case ZAPI_STORM, DATABASE_DOWN, BROKER_DOWN -> {
                    String expected = switch (kind) {
                        case ZAPI_STORM -> "Z-API unreachable";
                        case DATABASE_DOWN -> "database ";
                        default -> "Kafka broker not taking events";
                    };
                    // transient: every source pauses with the cause; nothing is acknowledged meanwhile. With the
                    // database down, the inbox cannot read its published-inputs ledger, so its poll leaves the file
                    // unread ("not now") before any batch begins: the file waits and the inbox has nothing to pause
                    // With the broker down, the Kafka source cannot reach its own broker either (one zapi.kafka.brokers):
                    // no poll arrives, so no unit of work fails; its client keeps reconnecting, and it stays RUNNING
                    List<String> pausing = switch (kind) {
                        case DATABASE_DOWN -> List.of("kafka", "jms");
                        case BROKER_DOWN -> List.of("inbox", "jms");
                        default -> List.of("inbox", "kafka", "jms");
                    };
                    for (String source : pausing) {
                        await().atMost(Duration.ofSeconds(60)).until(() -> "PAUSED".equals(state(service, source)));
                        assertThat(cause(service, source)).startsWith(expected);
                    }
                    if (kind == Kind.DATABASE_DOWN) {
                        assertThat(state(service, "inbox")).isIn("RUNNING", "PAUSED");
                    }
                    if (kind == Kind.BROKER_DOWN) {
                        assertThat(state(service, "kafka")).isEqualTo("RUNNING");
                        assertThat(requestsFor(records)).isZero();
                    }
                    assertThat(readiness(service).getState()).isEqualTo(HealthCheck.State.DOWN);
                    assertThat(run.waitingInputs()).containsExactly("groups.txt");
                    assertThat(kafka.committed(name, name + ".ids")).isZero();
                    assertThat(artemis.messageCount(name + ".q")).isEqualTo(GROUPS);
                    assertThat(artemis.messageCount(name + ".q.DLQ")).isZero();
                    assertThat(SourceOwnStopTest.route(service, "inbox-files")).isNotEqualTo(ServiceStatus.Stopped);
                    assertThat(SourceOwnStopTest.route(service, "jms-queue")).isNotEqualTo(ServiceStatus.Stopped);

                    // the cause passes: each source's probe resumes it, and every input is retried to its end
                    healthyZapi();
                    databaseRelay.restore();
                    brokerRelay.restore();
                    await("the file done").atMost(Duration.ofSeconds(60)).until(() -> run.waitingInputs().isEmpty() && run.doneInputs().size() == 1);
                    await("the poll committed").atMost(Duration.ofSeconds(60)).until(() -> kafka.committed(name, name + ".ids") == GROUPS);
                    await("the queue consumed").atMost(Duration.ofSeconds(60)).until(() -> artemis.messageCount(name + ".q") == 0);
                    for (String source : List.of("inbox", "kafka", "jms")) {
                        await().atMost(Duration.ofSeconds(20)).until(() -> "RUNNING".equals(state(service, source)));
                    }
                    assertThat(database.count("SELECT COUNT(*) FROM zapi_group WHERE group_id LIKE '%-group' AND last_status = 'OK' AND group_id IN ("
                            + String.join(",", java.util.stream.Stream.of(file, records, messages).flatMap(List::stream).map(g -> "'" + g + "'").toList())
                            + ")")).isEqualTo(3L * GROUPS);
                    assertThat(artemis.messageCount(name + ".q.DLQ")).isZero();
                    assertThat(readiness(service).getState()).isEqualTo(HealthCheck.State.UP);
                }
                case BAD_INPUT -> {
                    // about the input alone: rejected with its reason and acknowledged; no source pauses or stops
                    await().atMost(Duration.ofSeconds(30)).until(() -> rejected(run).stream().anyMatch(f -> f.startsWith("groups-") && f.endsWith(".csv")));
                    await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committed(name, name + ".ids") == 2 && artemis.messageCount(name + ".q") == 0);
                    assertThat(kafka.readAll(name + ".rejected", Duration.ofMillis(500))).hasSize(2);
                    assertThat(artemis.messageCount(name + ".q.DLQ")).isZero();
                    assertThat(zapi.findAll(anyRequestedFor(anyUrl())).stream().filter(r -> !r.getUrl().endsWith("/status")).count()).isZero();
                    for (String source : List.of("inbox", "kafka", "jms")) {
                        assertThat(state(service, source)).isEqualTo("RUNNING");
                    }
                    assertThat(readiness(service).getState()).isEqualTo(HealthCheck.State.UP);
                }
            }
        } finally {
            databaseRelay.restore();
            brokerRelay.restore();
            exit = service.stop();
        }
        assertThat(exit).isEqualTo(kind == Kind.UNAUTHORIZED ? RunControl.EXIT_BATCH_STOPPED : 0);
    }

    /**
     * One schedule tick (batch mode) over a list file. Whatever the kind, a tick ends without pausing or
     * stopping the schedule: the next tick is the retry.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void scheduleTick(Kind kind) throws Exception {
        String name = "t" + kind.ordinal();
        healthyZapi();
        kafka.createTopic(name + ".results", 1);
        List<String> groups = KafkaTopicSourceTest.validIds(3, 400_000 + 1000 * kind.ordinal());
        Path list = dir.resolve("managed.txt");
        if (kind == Kind.BAD_INPUT) {
            Files.write(list, new byte[] {0, 1, 2, (byte) 0xff, 10});
        } else {
            Files.writeString(list, String.join("\n", groups) + "\n", StandardCharsets.UTF_8);
        }
        BatchRun tick = settings(name).with("zapi.sources", "schedule").with("zapi.schedule.name", name)
                .with("zapi.schedule.groups", list.toString());
        switch (kind) {
            case UNAUTHORIZED -> zapiAnswers(401, "unauthorized");
            case ZAPI_STORM -> zapiAnswers(503, "Service Unavailable");
            case DATABASE_DOWN -> databaseRelay.cut();
            case BROKER_DOWN -> brokerRelay.cut();
            case BAD_INPUT -> {
            }
        }
        Predicate<String> ticks = status -> {
            try {
                return database.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE source = ? AND status = ?", "schedule:" + name, status) == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        try {
            tick.run();
        } finally {
            databaseRelay.restore();
            brokerRelay.restore();
        }
        switch (kind) {
            case UNAUTHORIZED, ZAPI_STORM -> {
                // the tick's status check (one request) fails first: the tick does not start, no group is asked for
                assertThat(tick.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
                assertThat(requestsFor(groups)).isZero();
                assertThat(zapi.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
                assertThat(database.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE source = ?", "schedule:" + name)).isZero();
            }
            case DATABASE_DOWN -> {
                // the schedule's list, run rows and clustered trigger live in the database: a batch-mode tick does
                // not start without it (a service waits for it at startup, zapi.db.startup-wait-seconds)
                assertThat(tick.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
                assertThat(zapi.findAll(anyRequestedFor(anyUrl()))).isEmpty();
            }
            case BROKER_DOWN -> {
                // the groups are fetched, their events cannot be sent: the tick ends INCOMPLETE without a report
                assertThat(tick.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
                assertThat(ticks.test("INCOMPLETE")).isTrue();
                assertThat(requestsFor(groups)).isPositive();
            }
            case BAD_INPUT -> {
                // a list file that is not a readable list: the tick does not start, nothing is sent to Z-API
                assertThat(tick.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
                assertThat(requestsFor(groups)).isZero();
                assertThat(zapi.findAll(anyRequestedFor(anyUrl())).stream().filter(r -> !r.getUrl().endsWith("/status")).count()).isZero();
            }
        }
    }
}

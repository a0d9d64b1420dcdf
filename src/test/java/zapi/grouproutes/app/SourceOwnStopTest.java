package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.EmbeddedArtemis;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TcpProxy;
import zapi.grouproutes.support.TestDatabase;

/**
 * The two defects of the shared intake status (issue 18): a stream source that loops on revoked
 * credentials because the inbox stopped the shared status first, and a JMS source that took the topic
 * sink's broker outage for a poison message. Each source now decides and reports for itself.
 */
class SourceOwnStopTest {

    static final String BASE = "/instances/inst-own/token/tok-own";

    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    static void healthyZapi() {
        healthyZapi(zapi, BASE);
    }

    static void healthyZapi(WireMockExtension zapi, String base) {
        zapi.resetAll();
        zapi.stubFor(post(urlPathMatching(base + "/group-invitation-link/.*")).willReturn(
                okJson("{\"invitationLink\":\"https://chat.whatsapp.com/L{{request.pathSegments.[5]}}\"}").withTransformers("response-template")));
        zapi.stubFor(get(urlPathEqualTo(base + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Own\",\"participants\":[]}")));
        zapi.stubFor(get(urlPathEqualTo(base + "/status")).willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
    }

    static void revokedCredentials() {
        zapi.resetAll();
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"unauthorized\"}")));
    }

    BatchRun service() {
        return new BatchRun(dir).against(zapi.baseUrl(), "inst-own", "tok-own", "ct-own").with("zapi.mode", "service")
                .with("zapi.intake.probe-interval-ms", "300").with("zapi.intake.probe-max-interval-ms", "1000");
    }

    /** What readiness says (the check behind /observe/health/ready). */
    static HealthCheck.Result readiness(ServiceRun service) {
        return service.app().camelContext().getRegistry().lookupByNameAndType("intakeHealthCheck", HealthCheck.class).call();
    }

    static ServiceStatus route(ServiceRun service, String id) {
        CamelContext context = service.app().camelContext();
        return context == null ? null : context.getRouteController().getRouteStatus(id);
    }

    static int zapiRequestsFor(List<String> groups) {
        return (int) zapi.findAll(anyRequestedFor(anyUrl())).stream().filter(r -> groups.stream().anyMatch(g -> r.getUrl().contains(g))).count();
    }

    @Test
    void revokedCredentialsStopTheKafkaSourceWithinOnePollAfterTheInboxStoppedFirst() throws Exception {
        revokedCredentials();
        kafka.createTopic("own.ids", 1);
        BatchRun run = service().with("zapi.sources", "inbox,kafka").with("zapi.sinks", "jdbc").with("zapi.kafka.brokers", kafka.bootstrapServers())
                .with("zapi.kafka.topic", "own.ids").with("zapi.kafka.rejected-topic", "own.rejected").with("zapi.kafka.group-id", "own")
                .with("zapi.kafka.max-poll-records", "10");
        try (TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            ServiceRun service = run.startAsService();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> route(service, "kafka-topic") == ServiceStatus.Started);
                // the inbox meets the revoked credentials first and stops
                Files.writeString(run.inbox().resolve("groups.txt"), "120363000000000001-group\n", java.nio.charset.StandardCharsets.UTF_8);
                await().atMost(Duration.ofSeconds(30)).until(() -> route(service, "inbox-files") == ServiceStatus.Stopped);

                List<String> ids = KafkaTopicSourceTest.validIds(10, 91_000);
                kafka.send("own.ids", ids);
                // then the Kafka source meets them too: it stops on its own account, at its first poll
                await().atMost(Duration.ofSeconds(30)).until(() -> route(service, "kafka-topic") == ServiceStatus.Stopped);
                int spent = zapiRequestsFor(ids);
                assertThat(spent).as("Z-API requests of the poll that stopped the source").isBetween(1, 10);
                // stopped means stopped: the poll is not read again and again, spending 401s
                await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertThat(zapiRequestsFor(ids)).isEqualTo(spent);
                assertThat(kafka.committed("own", "own.ids")).isZero();

                HealthCheck.Result ready = readiness(service);
                assertThat(ready.getState()).isEqualTo(HealthCheck.State.DOWN);
                assertThat(ready.getDetails()).containsEntry("intake.kafka.state", "STOPPED").containsEntry("intake.inbox.state", "STOPPED");
                assertThat((String) ready.getDetails().get("intake.kafka.cause")).startsWith("Client-Token or instance token rejected (HTTP 401");
            } finally {
                assertThat(service.stop()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            }
        }
    }

    @Test
    void revokedCredentialsStopTheJmsSourceAtItsFirstMessageAfterTheInboxStoppedFirst() throws Exception {
        revokedCredentials();
        try (EmbeddedArtemis broker = EmbeddedArtemis.start(dir.resolve("broker")); TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            broker.createQueue("own.groups");
            BatchRun run = service().with("zapi.sources", "inbox,jms").with("zapi.sinks", "jdbc").with("zapi.jms.url", broker.url())
                    .with("zapi.jms.queue", "own.groups").with("zapi.jms.concurrent-consumers", "1");
            ServiceRun service = run.startAsService();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> route(service, "jms-queue") == ServiceStatus.Started);
                Files.writeString(run.inbox().resolve("groups.txt"), "120363000000000001-group\n", java.nio.charset.StandardCharsets.UTF_8);
                await().atMost(Duration.ofSeconds(30)).until(() -> route(service, "inbox-files") == ServiceStatus.Stopped);

                List<String> ids = KafkaTopicSourceTest.validIds(3, 92_000);
                send(broker, "own.groups", ids);
                await().atMost(Duration.ofSeconds(30)).until(() -> route(service, "jms-queue") == ServiceStatus.Stopped);
                int spent = zapiRequestsFor(ids);
                assertThat(spent).as("one request, for the message that stopped the source").isEqualTo(1);
                await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertThat(zapiRequestsFor(ids)).as("no redelivery loop").isEqualTo(spent);
                // nothing consumed, nothing dead-lettered: the messages wait for the credentials to be fixed
                assertThat(broker.messageCount("own.groups")).isEqualTo(3);
                assertThat(broker.messageCount("own.groups.DLQ")).isZero();

                HealthCheck.Result ready = readiness(service);
                assertThat(ready.getState()).isEqualTo(HealthCheck.State.DOWN);
                assertThat(ready.getDetails()).containsEntry("intake.jms.state", "STOPPED");
                assertThat((String) ready.getDetails().get("intake.jms.cause")).startsWith("Client-Token or instance token rejected (HTTP 401");
            } finally {
                assertThat(service.stop()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            }
        }
    }

    @Test
    void aTopicSinkBrokerOutagePausesTheJmsSourceDeadLettersNothingAndResumes() throws Exception {
        healthyZapi();
        kafka.createTopic("own.results", 1);
        String[] hostPort = kafka.bootstrapServers().split(",")[0].split(":");
        try (EmbeddedArtemis broker = EmbeddedArtemis.start(dir.resolve("broker")); TestDatabase db = TestDatabase.h2(dir.resolve("db"));
                TcpProxy kafkaProxy = new TcpProxy(hostPort[0], Integer.parseInt(hostPort[1]))) {
            broker.createQueue("own.groups");
            // the topic sink's broker is down from the start
            kafkaProxy.cut();
            BatchRun run = service().with("zapi.sources", "jms").with("zapi.sinks", "jdbc,topic").with("zapi.jms.url", broker.url())
                    .with("zapi.jms.queue", "own.groups").with("zapi.jms.concurrent-consumers", "1").with("zapi.jms.max-deliveries", "2")
                    .with("zapi.kafka.brokers", "127.0.0.1:" + kafkaProxy.port()).with("zapi.topic", "own.results")
                    .with("zapi.topic.send-timeout-ms", "5500").with("zapi.topic.retry.max-redeliveries", "0");
            ServiceRun service = run.startAsService();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> route(service, "jms-queue") == ServiceStatus.Started);
                List<String> ids = KafkaTopicSourceTest.validIds(3, 93_000);
                send(broker, "own.groups", ids);

                HealthCheck.Result paused = await().atMost(Duration.ofSeconds(40)).until(() -> readiness(service),
                        r -> "PAUSED".equals(r.getDetails().get("intake.jms.state")));
                assertThat(paused.getState()).isEqualTo(HealthCheck.State.DOWN);
                assertThat((String) paused.getDetails().get("intake.jms.cause")).startsWith("Kafka broker not taking events");
                // rolled back, whatever the deliveries: a broker outage is not the messages' fault
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertThat(broker.messageCount("own.groups")).isEqualTo(3);
                assertThat(broker.messageCount("own.groups.DLQ")).isZero();
                assertThat(route(service, "jms-queue")).isNotEqualTo(ServiceStatus.Stopped);

                kafkaProxy.restore();
                await().atMost(Duration.ofSeconds(60)).until(() -> broker.messageCount("own.groups") == 0
                        && db.count("SELECT COUNT(*) FROM zapi_group WHERE last_status = 'OK'") == 3);
                assertThat(readiness(service).getDetails()).containsEntry("intake.jms.state", "RUNNING");
                assertThat(broker.messageCount("own.groups.DLQ")).isZero();
            } finally {
                assertThat(service.stop()).isZero();
            }
        }
    }

    @Test
    void aJmsMessageGivesEventsWhoseIdComesFromItsMessageIdSoARedeliveryRepeatsIt() throws Exception {
        healthyZapi();
        kafka.createTopic("ids.results", 1);
        try (EmbeddedArtemis broker = EmbeddedArtemis.start(dir.resolve("broker")); TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            broker.createQueue("ids.groups");
            ServiceRun service = service().with("zapi.sources", "jms").with("zapi.sinks", "jdbc,topic").with("zapi.jms.url", broker.url())
                    .with("zapi.jms.queue", "ids.groups").with("zapi.kafka.brokers", kafka.bootstrapServers()).with("zapi.topic", "ids.results")
                    .startAsService();
            String messageId;
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> route(service, "jms-queue") == ServiceStatus.Started);
                try (Connection c = broker.connect(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                        MessageProducer producer = s.createProducer(s.createQueue("ids.groups"))) {
                    jakarta.jms.TextMessage message = s.createTextMessage(KafkaTopicSourceTest.validIds(1, 94_000).get(0));
                    producer.send(message);
                    messageId = message.getJMSMessageID();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> broker.messageCount("ids.groups") == 0);
            } finally {
                service.stop();
            }
            var events = kafka.readAll("ids.results", Duration.ofSeconds(1));
            assertThat(events).hasSize(1);
            // the same message, redelivered after a rollback or a kill, keeps its JMSMessageID: its events keep their id
            String expected = java.util.UUID.nameUUIDFromBytes(("zapi.group.enriched|jms:ids.groups/" + messageId)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(events.get(0).value()).get("id").asText()).isEqualTo(expected);
        }
    }

    static void send(EmbeddedArtemis broker, String queue, List<String> bodies) throws Exception {
        try (Connection c = broker.connect(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(s.createQueue(queue))) {
            for (String body : bodies) {
                producer.send(s.createTextMessage(body));
            }
        }
    }
}

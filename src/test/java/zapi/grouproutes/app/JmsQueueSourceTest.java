package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.EmbeddedArtemis;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.StatusProbes;
import zapi.grouproutes.support.TestDatabase;

/**
 * The JMS queue source against a real Artemis broker in this JVM and Z-API played by WireMock: every
 * message ends in one outcome (a row, a reply, or the dead-letter queue), an outage only pauses intake,
 * and neither token leaves the process.
 */
class JmsQueueSourceTest {

    static final String INSTANCE = "inst-jms";
    static final String TOKEN = "JmSiNsTaNcEtOkEn4k2j";
    static final String CLIENT_TOKEN = "JmScLiEnTtOkEn8h6g";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final String QUEUE = "zapi.groups";
    static final String DLQ = QUEUE + ".DLQ";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    EmbeddedArtemis broker;
    TestDatabase db;
    CapturedLogs logs;
    ServiceRun service;

    @BeforeEach
    void start() throws Exception {
        healthyZapi();
        broker = EmbeddedArtemis.start(dir.resolve("broker"));
        broker.createQueue(QUEUE);
        db = TestDatabase.h2(dir.resolve("db"));
        logs = new CapturedLogs();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (service != null) {
                service.stop();
            }
            // (5) whatever happened, neither token reached a log line
            assertThat(logs.text()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        } finally {
            logs.close();
            broker.close();
            db.close();
        }
    }

    /** A link per group derived from its ID (so a row can be checked against what Z-API said), and metadata. */
    static void healthyZapi() {
        zapi.resetAll();
        zapi.stubFor(post(urlPathMatching(BASE + "/group-invitation-link/.*")).willReturn(
                okJson("{\"invitationLink\":\"https://chat.whatsapp.com/L{{request.pathSegments.[5]}}\"}").withTransformers("response-template")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Bus group\",\"participants\":[]}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/status")).willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
    }

    static String link(String groupId) {
        return "https://chat.whatsapp.com/L" + groupId;
    }

    static String id(int i) {
        return String.format("1203630195%08d-group", i * 7 + 1);
    }

    ServiceRun startApp(Map<String, String> more) throws Exception {
        BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.sources", "jms")
                .with("zapi.sinks", "jdbc").with("zapi.db.url", db.url()).with("zapi.jms.url", broker.url()).with("zapi.jms.queue", QUEUE)
                .with("zapi.intake.probe-interval-ms", "300").with("zapi.intake.probe-max-interval-ms", "1000").with(more);
        service = run.startAsService();
        await().atMost(Duration.ofSeconds(20)).until(() -> service.app().camelContext() != null
                && service.app().camelContext().getRouteController().getRouteStatus("jms-queue") == ServiceStatus.Started);
        return service;
    }

    void send(List<String> bodies) throws Exception {
        try (Connection c = broker.connect(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(s.createQueue(QUEUE))) {
            for (String body : bodies) {
                producer.send(s.createTextMessage(body));
            }
        }
    }

    long rows() throws Exception {
        return db.count("SELECT COUNT(*) FROM zapi_group");
    }

    @Test
    void twoHundredMessagesEndAsOneRowPerValidDistinctGroupWithZapisLink() throws Exception {
        List<String> bodies = new ArrayList<>();
        Set<String> valid = new LinkedHashSet<>();
        for (int i = 0; i < 170; i++) {
            String id = id(i);
            valid.add(id);
            // plain text and both JSON spellings
            bodies.add(switch (i % 3) {
                case 0 -> id;
                case 1 -> "{\"groupId\":\"" + id + "\"}";
                default -> "{\"group_id\":\"" + id + "\",\"note\":\"from the CRM\"}";
            });
        }
        for (int i = 0; i < 20; i++) {
            bodies.add(id(i * 5));
        }
        for (int i = 0; i < 10; i++) {
            bodies.add(i % 2 == 0 ? "not a group " + i : "{\"name\":\"no id here " + i + "\"}");
        }
        assertThat(bodies).hasSize(200);
        startApp(Map.of("zapi.concurrency", "8"));
        send(bodies);

        await().atMost(Duration.ofSeconds(25)).until(() -> rows() == 170 && broker.messageCount(QUEUE) == 0);
        List<Map<String, Object>> rows = db.rows("SELECT group_id, invitation_link, last_status, subject FROM zapi_group");
        assertThat(rows).extracting(r -> r.get("group_id")).containsExactlyInAnyOrderElementsOf(valid);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("last_status")).isEqualTo("OK");
            assertThat(r.get("invitation_link")).isEqualTo(link((String) r.get("group_id")));
            assertThat(r.get("subject")).isEqualTo("Bus group");
        });
        // every valid message was enriched (duplicates too: a queue has no batch to deduplicate in), the rejected ones never
        List<String> asked = zapi.findAll(postRequestedFor(urlPathMatching(BASE + "/group-invitation-link/.*"))).stream()
                .map(r -> r.getUrl().substring(r.getUrl().lastIndexOf('/') + 1)).toList();
        assertThat(asked).containsAll(valid).allSatisfy(id -> assertThat(valid).contains(id));
        assertThat(asked.size()).isGreaterThanOrEqualTo(190);
        assertThat(broker.drain(DLQ, 200)).isEmpty();
    }

    @Test
    void aRequestGetsItsGroupsLinkAsJsonUnderItsCorrelationIdAndARejectedOneGetsItsReason() throws Exception {
        startApp(Map.of());
        try (Connection c = broker.connect(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(s.createQueue(QUEUE))) {
            TemporaryQueue replies = s.createTemporaryQueue();
            TextMessage request = s.createTextMessage("{\"groupId\":\"" + id(42) + "\"}");
            request.setJMSReplyTo(replies);
            request.setJMSCorrelationID("order-4711");
            producer.send(request);
            TextMessage bad = s.createTextMessage("5511988887777");
            bad.setJMSReplyTo(replies);
            bad.setJMSCorrelationID("order-4712");
            producer.send(bad);

            Map<String, JsonNode> byCorrelation = new java.util.HashMap<>();
            try (MessageConsumer consumer = s.createConsumer(replies)) {
                for (int i = 0; i < 2; i++) {
                    Message reply = consumer.receive(15_000);
                    assertThat(reply).as("reply %d", i + 1).isInstanceOf(TextMessage.class);
                    String text = ((TextMessage) reply).getText();
                    assertThat(text).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
                    byCorrelation.put(reply.getJMSCorrelationID(), JSON.readTree(text));
                }
            }
            JsonNode ok = byCorrelation.get("order-4711");
            assertThat(ok.get("status").asText()).isEqualTo("OK");
            assertThat(ok.get("group_id").asText()).isEqualTo(id(42));
            assertThat(ok.get("invitation_link").asText()).isEqualTo(link(id(42)));
            assertThat(ok.get("subject").asText()).isEqualTo("Bus group");
            JsonNode rejected = byCorrelation.get("order-4712");
            assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
            assertThat(rejected.get("input").asText()).isEqualTo("5511988887777");
            assertThat(rejected.get("error_message").asText()).isNotBlank();
        }
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterQueueWithItsRedactedReasonAfterMaxDeliveries() throws Exception {
        String poison = id(666);
        // Z-API answers, but the database refuses the result: a participant "phone" of 10,000 random characters
        // is too big for PostgreSQL's index on members. A failure of this message alone, every time; the
        // subject also carries both secrets, as an echo might
        db = TestDatabase.postgres();
        zapi.stubFor(post(urlPathEqualTo(BASE + "/group-invitation-link/" + poison))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/PoisonPoisonPoison1234\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).withQueryParam("url", containing("PoisonPoison"))
                .willReturn(okJson("{\"subject\":\"" + TOKEN + " " + CLIENT_TOKEN + " Poison\",\"participants\":[{\"phone\":\"" + randomText(10_000) + "\"}]}")));
        startApp(Map.of("zapi.jms.max-deliveries", "3", "zapi.db.user", db.user()));
        try (Connection c = broker.connect(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(s.createQueue(QUEUE))) {
            TemporaryQueue replies = s.createTemporaryQueue();
            TextMessage request = s.createTextMessage(poison);
            request.setJMSReplyTo(replies);
            request.setJMSCorrelationID("poison-1");
            producer.send(request);
            producer.send(s.createTextMessage(id(1)));
            try (MessageConsumer consumer = s.createConsumer(replies)) {
                TextMessage reply = (TextMessage) consumer.receive(20_000);
                assertThat(reply).isNotNull();
                assertThat(reply.getJMSCorrelationID()).isEqualTo("poison-1");
                assertThat(reply.getText()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
                JsonNode answer = JSON.readTree(reply.getText());
                assertThat(answer.get("status").asText()).isEqualTo("DEAD_LETTER");
                assertThat(answer.get("dead_letter_queue").asText()).isEqualTo(DLQ);
                assertThat(answer.get("error_message").asText()).contains("index row");
            }
        }
        List<Message> dead = broker.drain(DLQ, 5_000);
        assertThat(dead).hasSize(1);
        TextMessage letter = (TextMessage) dead.get(0);
        assertThat(letter.getText()).isEqualTo(poison);
        assertThat(letter.getStringProperty("zapiQueue")).isEqualTo(QUEUE);
        String reason = letter.getStringProperty("zapiReason");
        assertThat(reason).contains("index row").doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        assertThat(reason.length()).isLessThan(600);
        assertThat(letter.getJMSReplyTo()).isNull();
        for (Enumeration<?> names = letter.getPropertyNames(); names.hasMoreElements();) {
            Object value = letter.getObjectProperty((String) names.nextElement());
            assertThat(String.valueOf(value)).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
        // tried exactly max-deliveries times; the good message next to it went through
        assertThat(zapi.findAll(postRequestedFor(urlPathEqualTo(BASE + "/group-invitation-link/" + poison)))).hasSize(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 1);
        assertThat(db.count("SELECT COUNT(*) FROM zapi_group WHERE group_id = ?", poison)).isZero();
        assertThat(broker.messageCount(QUEUE)).isZero();
        assertThat(intakeOf(service).state()).isEqualTo(IntakeStatus.State.RUNNING);
        assertThat(logs.text()).contains("was moved to " + DLQ);
    }

    @Test
    void anOutagePausesIntakeWithoutDeadLetteringAndEverythingIsProcessedAfterRecovery() throws Exception {
        zapi.resetAll();
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("{\"error\":\"Service Unavailable\"}")));
        // max-deliveries 2: rollbacks during the outage alone would be enough to dead-letter a naive source
        startApp(Map.of("zapi.jms.max-deliveries", "2", "zapi.retry.max-redeliveries", "1", "zapi.outage.groups-in-a-row", "1"));
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bodies.add(id(i));
        }
        send(bodies);

        IntakeStatus intake = await().atMost(Duration.ofSeconds(15)).until(() -> intakeOf(service),
                s -> s != null && s.state() == IntakeStatus.State.PAUSED);
        assertThat(intake.cause()).startsWith("Z-API unreachable");
        // paused, not stopped; probing (four probes, all refused), and the messages wait on the broker
        StatusProbes probes = await().atMost(Duration.ofSeconds(30)).until(() -> StatusProbes.of(zapi, BASE), p -> p.count() >= 4);
        assertThat(intake.state()).isEqualTo(IntakeStatus.State.PAUSED);
        // the consumer is suspended, not receiving and rolling back: between the probes no message was tried
        assertThat(StatusProbes.of(zapi, BASE, probes.at().get(2)).others()).as("requests other than probes while paused").isEmpty();
        assertThat(service.app().camelContext().getRouteController().getRouteStatus("jms-queue")).isNotEqualTo(ServiceStatus.Stopped);
        assertThat(broker.messageCount(QUEUE)).isEqualTo(30);
        assertThat(broker.messageCount(DLQ)).isZero();

        healthyZapi();
        await().atMost(Duration.ofSeconds(20)).until(() -> db.count("SELECT COUNT(*) FROM zapi_group WHERE last_status = 'OK'") == 30
                && broker.messageCount(QUEUE) == 0);
        assertThat(rows()).isEqualTo(30);
        assertThat(intake.state()).isEqualTo(IntakeStatus.State.RUNNING);
        assertThat(broker.drain(DLQ, 500)).isEmpty();
        assertThat(logs.text()).contains("intake pauses and resumes by itself").contains("Intake resumed");
    }

    @Test
    void withoutABrokerUrlTheServiceDoesNotStartAndNamesTheSetting() throws Exception {
        Map<String, String> settings = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.mode", "service")
                .with("zapi.sources", "jms").with("zapi.sinks", "jdbc").with("zapi.db.url", db.url()).with("zapi.jms.queue", QUEUE)
                .with("zapi.jms.password", "BrOkErPaSsWoRd9").settings();
        assertThat(ZapiGroupRoutes.run(settings)).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
        assertThat(logs.text()).contains("zapi-group-routes cannot start: zapi.jms.url is empty, but zapi.sources contains jms: set ZAPI_JMS_URL")
                .doesNotContain("BrOkErPaSsWoRd9");
    }

    /** Letters and digits that do not compress (PostgreSQL would otherwise fit a long value in an index). */
    static String randomText(int length) {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static IntakeStatus intakeOf(ServiceRun service) {
        var context = service.app().camelContext();
        Intake intake = context == null ? null : context.getRegistry().lookupByNameAndType("intake", Intake.class);
        return intake == null ? null : intake.source("jms").status();
    }
}

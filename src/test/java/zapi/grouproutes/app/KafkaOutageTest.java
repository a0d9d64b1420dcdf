package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * The Kafka source when Z-API is not there or refuses the credentials, and a link that changes between two
 * records of one group, against WireMock.
 */
class KafkaOutageTest {

    static final String BASE = "/instances/inst-ko/token/tok-ko";
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private static void zapiAnswersLink(String link) {
        zapi.resetAll();
        zapi.stubFor(post(urlPathMatching(BASE + "/group-invitation-link/.*")).willReturn(okJson("{\"invitationLink\":\"" + link + "\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Kafka\",\"participants\":[]}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/status")).willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
    }

    private BatchRun service(String name) {
        return new BatchRun(dir).against(zapi.baseUrl(), "inst-ko", "tok-ko", "ct-ko").with("zapi.mode", "service")
                .with("zapi.sources", "kafka").with("zapi.sinks", "jdbc,topic").with("zapi.kafka.brokers", kafka.bootstrapServers())
                .with("zapi.kafka.topic", name + ".ids").with("zapi.kafka.rejected-topic", name + ".rejected").with("zapi.kafka.group-id", name)
                .with("zapi.topic", name + ".results").with("zapi.kafka.max-poll-records", "10")
                .with("zapi.retry.max-redeliveries", "1").with("zapi.outage.groups-in-a-row", "3")
                .with("zapi.intake.probe-interval-ms", "500").with("zapi.intake.probe-max-interval-ms", "2000");
    }

    private static IntakeStatus intakeOf(ServiceRun service) {
        var context = service.app().camelContext();
        Intake intake = context == null ? null : context.getRegistry().lookupByNameAndType("intake", Intake.class);
        return intake == null ? null : intake.source("kafka").status();
    }

    @Test
    void anOutagePausesTheConsumerWithoutCommittingAndItResumesByItselfWithEveryRecord() throws Exception {
        zapi.resetAll();
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("{\"error\":\"Service Unavailable\"}")));
        kafka.createTopic("outage.ids", 2);
        List<String> ids = KafkaTopicSourceTest.validIds(30, 70_000);
        kafka.send("outage.ids", ids);
        try (CapturedLogs logs = new CapturedLogs(); TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            ServiceRun service = ServiceRun.start(service("outage").settings());
            try {
                IntakeStatus intake = await().atMost(Duration.ofSeconds(30)).until(() -> intakeOf(service),
                        s -> s != null && s.state() == IntakeStatus.State.PAUSED);
                assertThat(intake.cause()).startsWith("Z-API unreachable");
                // paused: nothing committed, nothing consumed and dropped
                Thread.sleep(5_000);
                assertThat(intake.state()).isEqualTo(IntakeStatus.State.PAUSED);
                assertThat(kafka.committed("outage", "outage.ids")).isZero();
                assertThat(db.count("SELECT COUNT(*) FROM zapi_group WHERE last_status = 'OK'")).isZero();

                zapiAnswersLink("https://chat.whatsapp.com/KafkaHealedAAAAAAAAAAAA");
                await().atMost(Duration.ofSeconds(40)).until(() -> kafka.committed("outage", "outage.ids") == 30);
                assertThat(intake.state()).isEqualTo(IntakeStatus.State.RUNNING);
            } finally {
                assertThat(service.stop()).isZero();
            }
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group WHERE last_status = 'OK'")).isEqualTo(30);
            assertThat(kafka.readAll("outage.rejected", Duration.ofMillis(500))).isEmpty();
            assertThat(logs.text()).contains("intake pauses and resumes by itself").contains("Intake resumed").doesNotContain("tok-ko")
                    .doesNotContain("ct-ko");
        }
    }

    @Test
    void refusedCredentialsStopTheConsumerWithItsCauseAndCommitNothing() throws Exception {
        zapi.resetAll();
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"unauthorized\"}")));
        kafka.createTopic("refused.ids", 1);
        kafka.send("refused.ids", KafkaTopicSourceTest.validIds(5, 80_000));
        ServiceRun service = ServiceRun.start(service("refused").settings());
        try {
            IntakeStatus intake = await().atMost(Duration.ofSeconds(30)).until(() -> intakeOf(service),
                    s -> s != null && s.state() == IntakeStatus.State.STOPPED);
            assertThat(intake.cause()).startsWith("Client-Token or instance token rejected (HTTP 401");
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> service.app().camelContext().getRouteController().getRouteStatus("kafka-topic") == ServiceStatus.Stopped);
            assertThat(kafka.committed("refused", "refused.ids")).isZero();
        } finally {
            assertThat(service.stop()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
        }
    }

    @Test
    void aLinkThatChangedBetweenTwoRecordsOfAGroupGivesALinkChangedEvent() throws Exception {
        kafka.createTopic("rotated.ids", 1);
        String group = "120363019502659999-group";
        try (TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            ServiceRun service = ServiceRun.start(service("rotated").settings());
            try {
                zapiAnswersLink("https://chat.whatsapp.com/FirstLinkAAAAAAAAAAAAAA");
                kafka.send("rotated.ids", List.of(group));
                await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committed("rotated", "rotated.ids") == 1);
                zapiAnswersLink("https://chat.whatsapp.com/SecondLinkBBBBBBBBBBBBB");
                kafka.send("rotated.ids", List.of("{\"groupId\":\"" + group + "\"}"));
                await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committed("rotated", "rotated.ids") == 2);
            } finally {
                service.stop();
            }
            Map<String, List<JsonNode>> byType = kafka.readAll("rotated.results", Duration.ofSeconds(1)).stream()
                    .map(r -> { try { return JSON.readTree(r.value()); } catch (Exception e) { throw new IllegalStateException(e); } })
                    .collect(Collectors.groupingBy(e -> e.get("type").asText()));
            assertThat(byType.get("zapi.group.enriched")).hasSize(2);
            assertThat(byType.get("zapi.group.invitation-link.changed")).singleElement().satisfies(e -> {
                assertThat(e.get("subject").asText()).isEqualTo(group);
                assertThat(e.get("data").get("previous_link").asText()).isEqualTo("https://chat.whatsapp.com/FirstLinkAAAAAAAAAAAAAA");
                assertThat(e.get("data").get("new_link").asText()).isEqualTo("https://chat.whatsapp.com/SecondLinkBBBBBBBBBBBBB");
            });
            assertThat(db.count("SELECT COUNT(*) FROM zapi_invitation_link WHERE group_id = ?", group)).isEqualTo(2);
        }
    }
}

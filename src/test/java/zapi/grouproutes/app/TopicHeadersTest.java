package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.EmbeddedArtemis;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * The topic sink sends only the headers it means to: a group that came from a JMS message carrying its
 * own JMS headers and application properties gives an event with the content type and the key alone.
 */
class TopicHeadersTest {

    static final String BASE = "/instances/inst-th/token/tok-th";
    static final String GROUP = "120363019502670001-group";

    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void aJmsSourcedEventCarriesTheContentTypeAndNoHeaderOfTheMessage() throws Exception {
        zapi.stubFor(post(urlPathMatching(BASE + "/group-invitation-link/.*")).willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/HdrAAAA\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Headers\",\"participants\":[]}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/status")).willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
        try (EmbeddedArtemis broker = EmbeddedArtemis.start(dir.resolve("broker")); TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            broker.createQueue("headers.groups");
            ServiceRun service = new BatchRun(dir).against(zapi.baseUrl(), "inst-th", "tok-th", "ct-th").with("zapi.sources", "jms")
                    .with("zapi.sinks", "jdbc,topic").with("zapi.db.url", db.url()).with("zapi.jms.url", broker.url())
                    .with("zapi.jms.queue", "headers.groups").with("zapi.kafka.brokers", kafka.bootstrapServers())
                    .with("zapi.topic", "headers.results").startAsService();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> service.app().camelContext() != null
                        && service.app().camelContext().getRouteController().getRouteStatus("jms-queue") == ServiceStatus.Started);
                try (Connection c = broker.connect(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                        MessageProducer producer = s.createProducer(s.createQueue("headers.groups"))) {
                    TextMessage message = s.createTextMessage(GROUP);
                    message.setJMSCorrelationID("order-4711");
                    message.setJMSType("crm-export");
                    message.setStringProperty("tenant", "acme");
                    message.setIntProperty("attempt", 3);
                    producer.send(message);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT COUNT(*) FROM zapi_group") == 1);
            } finally {
                service.stop();
            }
            List<ConsumerRecord<String, String>> records = kafka.readAll("headers.results", Duration.ofSeconds(1));
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo(GROUP);
                assertThat(StreamSupport.stream(r.headers().spliterator(), false).map(Header::key)).containsExactly("content-type");
                assertThat(new String(r.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                        .isEqualTo("application/cloudevents+json");
            });
        }
    }
}

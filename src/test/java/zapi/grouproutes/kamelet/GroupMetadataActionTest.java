package zapi.grouproutes.kamelet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static zapi.grouproutes.kamelet.KameletFlow.CLIENT_TOKEN;
import static zapi.grouproutes.kamelet.KameletFlow.INSTANCE_PATH;
import static zapi.grouproutes.kamelet.KameletFlow.TOKEN;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import zapi.grouproutes.support.CapturedLogs;

/** kamelets/zapi-group-metadata-action.kamelet.yaml in a flow of its own against a scripted Z-API. */
class GroupMetadataActionTest {

    static final String KAMELET = "zapi-group-metadata-action";
    static final String PATH = INSTANCE_PATH + "/group-invitation-metadata";
    static final String LINK = "https://chat.whatsapp.com/C1adgkdEGki7554BWDdMkd";
    static final String ENCODED = "https%3A%2F%2Fchat.whatsapp.com%2FC1adgkdEGki7554BWDdMkd";
    static final String ANSWER = "{\"phone\":\"120363019502650977-group\",\"subject\":\"Meu grupo no Z-API\",\"participants\":[]}";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void getsWithThePercentEncodedLinkAndClientToken() throws Exception {
        zapi.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl()); CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send(LINK + "\n");
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getBody(String.class)).isEqualTo(ANSWER);
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
        List<LoggedRequest> sent = zapi.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getMethod().getName()).isEqualTo("GET");
        assertThat(sent.get(0).getUrl()).isEqualTo(PATH + "?url=" + ENCODED);
        assertThat(sent.get(0).getHeader("Client-Token")).isEqualTo(CLIENT_TOKEN);
        assertThat(sent.get(0).getHeader("Content-Type")).isNull();
    }

    /** The link's own ?, & and = stay inside the one url parameter. */
    @Test
    void takesTheLinkOfTheHeaderAndEncodesEveryReservedCharacter() throws Exception {
        zapi.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl())) {
            assertThat(flow.send("ignored", Map.of("invitationLink", LINK + "?a=1&b=2")).getException()).isNull();
        }
        assertThat(zapi.findAll(anyRequestedFor(anyUrl()))).extracting(LoggedRequest::getUrl)
                .containsExactly(PATH + "?url=" + ENCODED + "%3Fa%3D1%26b%3D2");
    }

    @Test
    void a405IsSentOnceMoreWithTheOtherMethod() throws Exception {
        zapi.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(405)));
        zapi.stubFor(post(urlPathEqualTo(PATH)).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl())) {
            Exchange done = flow.send(LINK);
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getBody(String.class)).isEqualTo(ANSWER);
            flow.assertNoSecretIn(done);
        }
        List<LoggedRequest> sent = zapi.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).extracting(r -> r.getMethod().getName()).containsExactly("GET", "POST");
        assertThat(sent).extracting(LoggedRequest::getUrl).containsOnly(PATH + "?url=" + ENCODED);
        assertThat(sent.get(1).getHeader("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void a415IsSentOnceMoreWithContentType() throws Exception {
        zapi.stubFor(get(urlPathEqualTo(PATH)).withHeader("Content-Type", absent()).willReturn(aResponse().withStatus(415)));
        zapi.stubFor(get(urlPathEqualTo(PATH)).withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
                .willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl())) {
            Exchange done = flow.send(LINK);
            assertThat(done.getException()).isNull();
            flow.assertNoSecretIn(done);
        }
        List<LoggedRequest> sent = zapi.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(2).extracting(r -> r.getMethod().getName()).containsOnly("GET");
        assertThat(sent.get(1).getHeader("Content-Type")).isEqualTo("application/json; charset=UTF-8");
        assertThat(sent.get(1).getHeader("Accept")).isEqualTo("application/json");
    }

    @Test
    void anErrorStatusFailsTheExchangeWithNoSecret() throws Exception {
        zapi.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(404).withBody("{\"error\":\"Instance not found\"}")));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl()); CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send(LINK);
            assertThat(done.getException()).hasMessage("Z-API answered HTTP 404 to group-invitation-metadata for " + LINK
                    + ": {\"error\":\"Instance not found\"}");
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).contains("HTTP 404").doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
        zapi.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void aBodyThatIsNoLinkIsRefusedBeforeAnyRequest() throws Exception {
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl())) {
            Exchange done = flow.send("120363019502650977-group");
            assertThat(done.getException()).isNotNull();
            flow.assertNoSecretIn(done);
        }
        zapi.verify(0, anyRequestedFor(anyUrl()));
    }
}

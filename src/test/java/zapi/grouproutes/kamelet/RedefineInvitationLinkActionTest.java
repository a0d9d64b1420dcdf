package zapi.grouproutes.kamelet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static zapi.grouproutes.kamelet.KameletFlow.CLIENT_TOKEN;
import static zapi.grouproutes.kamelet.KameletFlow.INSTANCE_PATH;
import static zapi.grouproutes.kamelet.KameletFlow.TOKEN;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import zapi.grouproutes.support.CapturedLogs;

/** kamelets/zapi-redefine-invitation-link-action.kamelet.yaml in a flow of its own against a scripted Z-API. */
class RedefineInvitationLinkActionTest {

    static final String KAMELET = "zapi-redefine-invitation-link-action";
    static final String GROUP = "5511999999999-1623281429";
    static final String PATH = INSTANCE_PATH + "/redefine-invitation-link/" + GROUP;
    static final String ANSWER = "{\"invitationLink\":\"https://chat.whatsapp.com/NewLink4567\"}";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void postsTheGroupOfTheHeaderWithClientTokenJsonAndAnEmptyObject() throws Exception {
        zapi.stubFor(post(PATH).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl()); CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send("", Map.of("groupId", GROUP));
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getBody(String.class)).isEqualTo(ANSWER);
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
        List<LoggedRequest> sent = zapi.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getMethod().getName()).isEqualTo("POST");
        assertThat(sent.get(0).getUrl()).isEqualTo(PATH);
        assertThat(sent.get(0).getHeader("Client-Token")).isEqualTo(CLIENT_TOKEN);
        assertThat(sent.get(0).getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(sent.get(0).getBodyAsString()).isEqualTo("{}");
    }

    @Test
    void a405IsSentOnceMoreWithTheOtherMethod() throws Exception {
        zapi.stubFor(post(PATH).willReturn(aResponse().withStatus(405)));
        zapi.stubFor(get(PATH).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl())) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).isNull();
            flow.assertNoSecretIn(done);
        }
        assertThat(zapi.findAll(anyRequestedFor(anyUrl()))).extracting(r -> r.getMethod().getName()).containsExactly("POST", "GET");
    }

    /** A POST already says application/json: the second says its charset too, and asks for JSON back. */
    @Test
    void a415IsSentOnceMoreWithContentTypeAndAcceptSpelledOut() throws Exception {
        zapi.stubFor(post(PATH).withHeader("Content-Type", equalTo("application/json")).willReturn(aResponse().withStatus(415)));
        zapi.stubFor(post(PATH).withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
                .withHeader("Accept", equalTo("application/json")).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl())) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getBody(String.class)).isEqualTo(ANSWER);
            flow.assertNoSecretIn(done);
        }
        List<LoggedRequest> sent = zapi.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(2).extracting(r -> r.getMethod().getName()).containsOnly("POST");
        assertThat(sent).extracting(r -> r.getHeader("Content-Type")).containsExactly("application/json", "application/json; charset=UTF-8");
    }

    /** A 415 that stays a 415 is an answer like any other failure: two requests, then the exchange fails. */
    @Test
    void a415ThatStaysFailsAfterTwoRequests() throws Exception {
        zapi.stubFor(post(PATH).willReturn(aResponse().withStatus(415)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl()); CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).hasMessageStartingWith("Z-API answered HTTP 415 to redefine-invitation-link for " + GROUP);
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).contains("HTTP 415").doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
        zapi.verify(2, anyRequestedFor(anyUrl()));
    }

    @Test
    void anErrorStatusFailsTheExchangeWithNoSecret() throws Exception {
        zapi.stubFor(post(PATH).willReturn(aResponse().withStatus(403).withBody("{\"error\":\"not-authorized\"}")));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl()); CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).hasMessage("Z-API answered HTTP 403 to redefine-invitation-link for " + GROUP
                    + ": {\"error\":\"not-authorized\"}");
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).contains("HTTP 403").doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
        zapi.verify(1, anyRequestedFor(anyUrl()));
    }

    /** An account that does not require the Client-Token: without the property, no empty header goes out. */
    @Test
    void sendsNoClientTokenHeaderWhenNoneIsSet() throws Exception {
        zapi.stubFor(post(PATH).willReturn(okJson(ANSWER)));
        Properties tokenOnly = new Properties();
        tokenOnly.put("camel.kamelet." + KAMELET + ".token", TOKEN);
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl(), tokenOnly)) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).isNull();
            flow.assertNoSecretIn(done);
        }
        List<LoggedRequest> sent = zapi.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getUrl()).isEqualTo(PATH);
        assertThat(sent.get(0).containsHeader("Client-Token")).isFalse();
    }
}

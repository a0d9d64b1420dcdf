package zapi.grouproutes.kamelet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static zapi.grouproutes.kamelet.KameletFlow.CLIENT_TOKEN;
import static zapi.grouproutes.kamelet.KameletFlow.INSTANCE_PATH;
import static zapi.grouproutes.kamelet.KameletFlow.TOKEN;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import zapi.grouproutes.support.CapturedLogs;

/** kamelets/zapi-group-invitation-link-action.kamelet.yaml in a flow of its own against a scripted Z-API. */
class InvitationLinkActionTest {

    static final String KAMELET = "zapi-group-invitation-link-action";
    static final String GROUP = "120363019502650977-group";
    static final String LINK_PATH = INSTANCE_PATH + "/group-invitation-link/" + GROUP;
    static final String ANSWER = "{\"phone\":\"" + GROUP + "\",\"invitationLink\":\"https://chat.whatsapp.com/C1adgkdEGki7554BWDdMkd\"}";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void postsTheGroupFromTheBodyWithClientTokenJsonAndAnEmptyObject() throws Exception {
        zapi.stubFor(post(LINK_PATH).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl()); CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send(" " + GROUP + "\n");
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getBody(String.class)).isEqualTo(ANSWER);
            assertThat(done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
        List<LoggedRequest> sent = zapi.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(1);
        LoggedRequest request = sent.get(0);
        assertThat(request.getMethod().getName()).isEqualTo("POST");
        assertThat(request.getUrl()).isEqualTo(LINK_PATH);
        assertThat(request.getHeader("Client-Token")).isEqualTo(CLIENT_TOKEN);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getBodyAsString()).isEqualTo("{}");
    }

    /** The groupId header wins over the body; nothing of the flow's own headers goes out, and CamelHttpUri redirects nothing. */
    @Test
    void sendsTheGroupOfTheHeaderAndNoneOfTheFlowsHeaders() throws Exception {
        zapi.stubFor(post(LINK_PATH).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl())) {
            Exchange done = flow.send("not a group", Map.of("groupId", GROUP, "X-Flow-Header", "private",
                    Exchange.HTTP_URI, "http://127.0.0.1:9/elsewhere", Exchange.HTTP_QUERY, "leak=1"));
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getHeader("X-Flow-Header")).isEqualTo("private");
        }
        LoggedRequest request = zapi.findAll(anyRequestedFor(anyUrl())).get(0);
        assertThat(request.getUrl()).isEqualTo(LINK_PATH);
        assertThat(request.getHeaders().keys()).map(String::toLowerCase)
                .containsExactlyInAnyOrder("host", "user-agent", "client-token", "content-type", "content-length", "connection", "accept-encoding");
    }

    @Test
    void getsWithoutBodyOrContentTypeWhenGetComesFirst() throws Exception {
        zapi.stubFor(get(LINK_PATH).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl(), "method=GET")) {
            assertThat(flow.send(GROUP).getException()).isNull();
        }
        zapi.verify(1, anyRequestedFor(anyUrl()));
        zapi.verify(getRequestedFor(urlEqualTo(LINK_PATH)).withHeader("Client-Token", equalTo(CLIENT_TOKEN))
                .withHeader("Content-Type", absent()));
    }

    @Test
    void a405IsSentOnceMoreWithTheOtherMethod() throws Exception {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(405)));
        zapi.stubFor(get(LINK_PATH).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl())) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getBody(String.class)).isEqualTo(ANSWER);
            flow.assertNoSecretIn(done);
        }
        List<LoggedRequest> sent = zapi.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).extracting(r -> r.getMethod().getName()).containsExactly("POST", "GET");
        assertThat(sent).extracting(LoggedRequest::getUrl).containsOnly(LINK_PATH);
        assertThat(sent.get(1).getHeader("Client-Token")).isEqualTo(CLIENT_TOKEN);
    }

    @Test
    void a405ForBothMethodsFailsAfterTwoRequests() throws Exception {
        zapi.stubFor(any(urlEqualTo(LINK_PATH)).willReturn(aResponse().withStatus(405)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl(), "method=GET"); CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).hasMessageContaining("HTTP 405").hasMessageContaining(GROUP);
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).contains("HTTP 405").doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
        assertThat(zapi.findAll(anyRequestedFor(anyUrl()))).extracting(r -> r.getMethod().getName()).containsExactly("GET", "POST");
    }

    @Test
    void a415IsSentOnceMoreWithContentType() throws Exception {
        zapi.stubFor(get(LINK_PATH).withHeader("Content-Type", absent()).willReturn(aResponse().withStatus(415)));
        zapi.stubFor(get(LINK_PATH).withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
                .withHeader("Accept", equalTo("application/json")).willReturn(okJson(ANSWER)));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl(), "method=GET")) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getBody(String.class)).isEqualTo(ANSWER);
            flow.assertNoSecretIn(done);
        }
        List<LoggedRequest> sent = zapi.findAll(anyRequestedFor(anyUrl()));
        assertThat(sent).hasSize(2).extracting(r -> r.getMethod().getName()).containsOnly("GET");
        assertThat(sent.get(0).getHeader("Content-Type")).isNull();
        assertThat(sent.get(1).getHeader("Content-Type")).isEqualTo("application/json; charset=UTF-8");
    }

    @Test
    void anErrorStatusFailsTheExchangeWithZapisErrorAndNoSecret() throws Exception {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"your client-token is not configured\"}")));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl()); CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException())
                    .hasMessage("Z-API answered HTTP 400 to group-invitation-link for " + GROUP
                            + ": {\"error\":\"your client-token is not configured\"}");
            assertThat(done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(400);
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).contains("HTTP 400").doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
        zapi.verify(1, postRequestedFor(urlEqualTo(LINK_PATH)));
    }

    @Test
    void aBodyThatIsNoGroupIdIsRefusedBeforeAnyRequest() throws Exception {
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl())) {
            Exchange done = flow.send("../../status?x=");
            assertThat(done.getException()).isNotNull();
            flow.assertNoSecretIn(done);
        }
        zapi.verify(0, anyRequestedFor(anyUrl()));
    }

    /** A request that gets no answer fails with the I/O error, which names the host alone, and takes no secret along. */
    @Test
    void aServerThatDoesNotAnswerFailsTheExchangeWithoutSecrets() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (KameletFlow flow = new KameletFlow(KAMELET, "http://127.0.0.1:" + closed); CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).isInstanceOf(ConnectException.class);
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).contains("ConnectException").doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
    }

    /** Secrets passed in the Kamelet's URI, not as properties: Camel masks them wherever it logs that URI. */
    @Test
    void secretsInTheKameletUriStayOutOfTheLog() throws Exception {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"null not allowed\"}")));
        try (KameletFlow flow = new KameletFlow(KAMELET, zapi.baseUrl(), new Properties(),
                "token=RAW(" + TOKEN + ")", "clientToken=RAW(" + CLIENT_TOKEN + ")");
                CapturedLogs logs = new CapturedLogs()) {
            Exchange done = flow.send(GROUP);
            assertThat(done.getException()).hasMessageContaining("HTTP 401");
            flow.assertNoSecretIn(done);
            assertThat(logs.text()).contains("to[kamelet:" + KAMELET).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
            // what Camel does to an endpoint URI before it logs or lists it, in full
            assertThat(flow.context().getEndpoints()).extracting(endpoint -> URISupport.sanitizeUri(endpoint.getEndpointUri()))
                    .anySatisfy(uri -> assertThat(uri).startsWith("kamelet:" + KAMELET + "?"))
                    .allSatisfy(uri -> assertThat(uri).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN));
        }
        zapi.verify(postRequestedFor(urlEqualTo(LINK_PATH)).withHeader("Client-Token", equalTo(CLIENT_TOKEN)));
    }
}

package zapi.grouproutes.zapi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import zapi.grouproutes.group.GroupId;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ZapiRequestRoute;

/** The protocol rules of NOTES.md against a scripted server: one rule, one test. */
class ZapiClientTest {

    static final String TOKEN = "TOKEN-5ecret-in-path";
    static final String CLIENT_TOKEN = "CLIENT-5ecret-in-header";
    static final String BASE = "/instances/inst-1/token/" + TOKEN;
    static final String LINK_PATH = BASE + "/group-invitation-link/120363019502650977-group";
    static final GroupId GROUP = GroupId.parse("120363019502650977-group").groupId();
    static final String LINK = "https://chat.whatsapp.com/C1adgkdEGki7554BWDdMkd";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private ZapiClient client;
    /** The product's zapi-request route, which every request of a client goes through: one per client. */
    private final List<ZapiRequestRoute> routes = new ArrayList<>();

    @BeforeEach
    void newClient() {
        client = client("POST", 3);
    }

    /** The answer timeout is 2 s: a first call on a busy machine (a cold JVM, a cold server) may take over 1 s. */
    private ZapiClient client(String method, int clientTokenErrorLimit) {
        return client(method, clientTokenErrorLimit, new RequestBudget(1000));
    }

    private ZapiClient client(String method, int clientTokenErrorLimit, RequestBudget budget) {
        ZapiSettings settings = new ZapiSettings(URI.create(zapi.baseUrl()), new Credentials("inst-1", TOKEN, CLIENT_TOKEN),
                Duration.ofSeconds(2), Duration.ofMillis(2000), method, clientTokenErrorLimit, Duration.ofSeconds(2));
        ZapiRequestRoute route;
        try {
            route = new ZapiRequestRoute(settings.baseUrl(), settings.credentials(), settings.connectTimeout(), settings.requestTimeout());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        routes.add(route);
        return new ZapiClient(settings, new ZapiOutage(10), budget, route.http());
    }

    @AfterEach
    void closeRoutes() {
        routes.forEach(ZapiRequestRoute::close);
    }

    @Test
    void postsWithClientTokenJsonContentTypeAndEmptyJsonBody() {
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"phone\":\"120363019502650977-group\",\"invitationLink\":\"" + LINK + "\"}")));
        assertThat(client.fetchInvitationLink(GROUP)).isEqualTo(LINK);
        zapi.verify(postRequestedFor(urlEqualTo(LINK_PATH))
                .withHeader("Client-Token", equalTo(CLIENT_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{}")));
    }

    /**
     * What leaves is exactly what the protocol needs (zapiHeaders lets only Client-Token, Content-Type and Accept out
     * of the message; zapiHttpClient adds no Accept-Encoding, cookies or retries): HttpClient's own Host, User-Agent,
     * Content-Length, Connection and the content headers a body needs, nothing of the exchange's other headers.
     */
    @Test
    void onlyTheIntendedHeadersAreSent() {
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"invitationLink\":\"" + LINK + "\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Grupo\"}")));
        client.fetchMetadata(client.fetchInvitationLink(GROUP));
        List<LoggedRequest> sent = zapi.getAllServeEvents().stream().map(event -> event.getRequest()).toList();
        assertThat(sent).hasSize(2);
        LoggedRequest link = sent.stream().filter(r -> r.getMethod().getName().equals("POST")).findFirst().orElseThrow();
        LoggedRequest metadata = sent.stream().filter(r -> r.getMethod().getName().equals("GET")).findFirst().orElseThrow();
        assertThat(headerNames(link)).containsExactlyInAnyOrder("host", "user-agent", "client-token", "content-type", "content-length");
        assertThat(headerNames(metadata)).containsExactlyInAnyOrder("host", "user-agent", "client-token");
        assertThat(link.getHeader("User-Agent")).isEqualTo("zapi-group-routes");
        assertThat(link.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(link.getHeader("Client-Token")).isEqualTo(CLIENT_TOKEN);
        assertThat(link.getBodyAsString()).isEqualTo("{}");
        assertThat(metadata.getUrl()).isEqualTo(BASE + "/group-invitation-metadata?url=https%3A%2F%2Fchat.whatsapp.com%2FC1adgkdEGki7554BWDdMkd");
        // Camel lists and logs endpoint URIs: the http endpoint is the base URL alone, the path went in a header
        assertThat(routes.get(0).context().getEndpoints()).extracting(org.apache.camel.Endpoint::getEndpointUri)
                .anySatisfy(uri -> assertThat(uri).startsWith("http://localhost:" + zapi.getPort()))
                .allSatisfy(uri -> assertThat(uri).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN).doesNotContain("inst-1"));
    }

    /**
     * HttpClient 5 on its own would send a GET again after a 503 or a 429 with Retry-After, sleeping inside the
     * call, without a permit: zapiHttpClient turns that off, so one call is one request and the routes retry.
     */
    @Test
    void httpClientNeverRetriesOnItsOwn() {
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata"))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1").withBody("busy")));
        assertThatThrownBy(() -> client.fetchMetadata(LINK)).isInstanceOf(ZapiTransientException.class);
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiTransientException.class);
        assertThat(zapi.getAllServeEvents()).hasSize(2);
    }

    /**
     * A group of 1,024 members answers about 70 KB, past camel-http's 8 KB in-memory threshold, so the body
     * comes through Camel's stream cache rather than as bytes; a subject in Portuguese stays UTF-8 either way.
     */
    @Test
    void aLargeAnswerIsReadWhole() {
        StringBuilder participants = new StringBuilder();
        for (int i = 0; i < 1024; i++) {
            participants.append(i == 0 ? "" : ",").append("{\"phone\":\"55119").append(String.format("%08d", i))
                    .append("\",\"isAdmin\":false,\"isSuperAdmin\":false}");
        }
        String body = "{\"subject\":\"Reunião de condomínio\",\"participantsCount\":1024,\"participants\":[" + participants + "]}";
        assertThat(body.length()).isGreaterThan(60_000);
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body)));
        GroupMetadata metadata = client.fetchMetadata(LINK);
        assertThat(metadata.subject()).isEqualTo("Reunião de condomínio");
        assertThat(metadata.participants()).hasSize(1024);
    }

    /** A header that reaches the request's exchange some other way (tracing, a routing header) does not leave. */
    @Test
    void theRouteLetsNoOtherHeaderOfTheExchangeOut() {
        zapi.stubFor(get(urlPathEqualTo(BASE + "/status")).willReturn(okJson("{\"connected\":true}").withHeader("X-Gateway", "g1")));
        org.apache.camel.Exchange answer = routes.get(0).context().createProducerTemplate().request("direct:zapi-request", exchange -> {
            exchange.getIn().setHeader(org.apache.camel.Exchange.HTTP_METHOD, "GET");
            exchange.getIn().setHeader(org.apache.camel.Exchange.HTTP_PATH, BASE + "/status");
            exchange.getIn().setHeader("Client-Token", CLIENT_TOKEN);
            exchange.getIn().setHeader("X-Group", "120363019502650977-group");
            exchange.getIn().setHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            exchange.getIn().setHeader("Authorization", "Bearer leaked");
        });
        assertThat(answer.getMessage().getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
        assertThat(answer.getMessage().getHeaders()).doesNotContainKey("X-Gateway");
        LoggedRequest sent = zapi.getAllServeEvents().get(0).getRequest();
        assertThat(headerNames(sent)).containsExactlyInAnyOrder("host", "user-agent", "client-token");
    }

    /** After a 415, Accept and a Content-Type with its charset join them, on a GET too, and nothing else does. */
    @Test
    void theFixFor415AddsAcceptAndTheCharsetOnly() {
        zapi.stubFor(post(LINK_PATH).withHeader("Accept", absent()).willReturn(aResponse().withStatus(415)));
        zapi.stubFor(post(LINK_PATH).withHeader("Accept", equalTo("application/json")).willReturn(okJson("{\"invitationLink\":\"" + LINK + "\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Grupo\"}")));
        client.fetchMetadata(client.fetchInvitationLink(GROUP));
        List<LoggedRequest> sent = zapi.getAllServeEvents().stream().map(event -> event.getRequest()).toList();
        assertThat(sent).hasSize(3);
        LoggedRequest metadata = sent.stream().filter(r -> r.getMethod().getName().equals("GET")).findFirst().orElseThrow();
        assertThat(headerNames(metadata)).containsExactlyInAnyOrder("host", "user-agent", "client-token", "accept", "content-type");
        assertThat(metadata.getHeader("Content-Type")).isEqualTo("application/json; charset=UTF-8");
    }

    private static List<String> headerNames(LoggedRequest request) {
        return request.getHeaders().keys().stream().map(name -> name.toLowerCase(java.util.Locale.ROOT))
                // the connection's own: keep-alive is HttpClient's default, as is the upgrade it never asks for
                .filter(name -> !name.equals("connection")).toList();
    }

    @Test
    void a405OnPostSwitchesToGetForTheRestOfTheRunWithOneWarning() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(405)));
        zapi.stubFor(get(LINK_PATH).willReturn(okJson("{\"invitationLink\":\"" + LINK + "\"}")));
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(client.fetchInvitationLink(GROUP)).isEqualTo(LINK);
            assertThat(client.fetchInvitationLink(GROUP)).isEqualTo(LINK);
            assertThat(client.invitationLinkMethod()).isEqualTo("GET");
            assertThat(logs.text().lines().filter(l -> l.startsWith("WARN")))
                    .singleElement().asString().contains("zapi.invitation-link-method=GET");
        }
        zapi.verify(1, postRequestedFor(urlEqualTo(LINK_PATH)));
        zapi.verify(2, getRequestedFor(urlEqualTo(LINK_PATH)).withHeader("Client-Token", equalTo(CLIENT_TOKEN)));
    }

    /**
     * The fallback's second request and the 415 fix's retry are requests too: at 2 requests/s (burst 1)
     * each waits for its own permit, half a second after the request before it.
     */
    @Test
    void theSecondRequestsOfThe405FallbackAndThe415FixTakeAPermitEach() {
        ZapiClient paced = client("POST", 3, new RequestBudget(2));
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(415)));
        zapi.stubFor(post(LINK_PATH).withHeader("Accept", equalTo("application/json")).willReturn(aResponse().withStatus(405)));
        zapi.stubFor(get(LINK_PATH).willReturn(okJson("{\"invitationLink\":\"" + LINK + "\"}")));
        assertThat(paced.fetchInvitationLink(GROUP)).isEqualTo(LINK);
        java.util.List<Long> arrivals = zapi.getAllServeEvents().stream().map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
        // POST (415), POST with explicit headers (405), GET (200)
        assertThat(arrivals).hasSize(3);
        assertThat(arrivals.get(1) - arrivals.get(0)).isGreaterThanOrEqualTo(450);
        assertThat(arrivals.get(2) - arrivals.get(1)).isGreaterThanOrEqualTo(450);
    }

    @Test
    void a405OnGetSwitchesToPostToo() {
        client = client("GET", 3);
        zapi.stubFor(get(LINK_PATH).willReturn(aResponse().withStatus(405)));
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"invitationLink\":\"" + LINK + "\"}")));
        assertThat(client.fetchInvitationLink(GROUP)).isEqualTo(LINK);
        assertThat(client.invitationLinkMethod()).isEqualTo("POST");
    }

    @Test
    void a405OnBothMethodsIsSystematic() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(405)));
        zapi.stubFor(get(LINK_PATH).willReturn(aResponse().withStatus(405)));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class)
                .hasMessageContaining("both POST and GET");
    }

    @Test
    void a415IsRetriedOnceWithExplicitHeadersWhichAreKept() {
        zapi.stubFor(post(LINK_PATH).withHeader("Accept", absent()).willReturn(aResponse().withStatus(415)));
        zapi.stubFor(post(LINK_PATH).withHeader("Accept", equalTo("application/json"))
                .willReturn(okJson("{\"invitationLink\":\"" + LINK + "\"}")));
        assertThat(client.fetchInvitationLink(GROUP)).isEqualTo(LINK);
        assertThat(client.fetchInvitationLink(GROUP)).isEqualTo(LINK);
        zapi.verify(3, postRequestedFor(urlEqualTo(LINK_PATH)));
        zapi.verify(2, postRequestedFor(urlEqualTo(LINK_PATH)).withHeader("Content-Type", equalTo("application/json; charset=UTF-8")));
    }

    @Test
    void a415AfterTheFixIsSystematic() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(415).withBody("{\"error\":\"Unsupported Media Type\"}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class)
                .hasMessageContaining("415");
        zapi.verify(2, postRequestedFor(urlEqualTo(LINK_PATH)));
    }

    @Test
    void credentialsRefusedAreSystematicAndNameTheCause() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(403).withBody("{\"error\":\"Client-Token invalid\"}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class)
                .hasMessageContaining("Client-Token or instance token rejected").hasMessageContaining("Client-Token invalid");
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(401)));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class);
    }

    @Test
    void aBlockedIpIsSystematic() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"10.1.2.3 not allowed\"}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class)
                .hasMessageContaining("IP address is not allowed");
    }

    @Test
    void aMissingGroupFailsThatGroupWithZapisText() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(404).withBody("{\"error\":\"Group not found\"}")));
        ZapiCallFailedException failure = catchThrowableOfType(ZapiCallFailedException.class, () -> client.fetchInvitationLink(GROUP));
        assertThat(failure.errorCode()).isEqualTo("404");
        assertThat(failure.zapiError()).isEqualTo("Group not found");
    }

    @Test
    void anUnknownInstanceIsSystematic() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(404).withBody("{\"error\":\"Instance not found\"}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class)
                .hasMessageContaining("ZAPI_INSTANCE_ID");
    }

    @Test
    void otherClientErrorsFailTheGroup() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(422).withBody("not json at all")));
        ZapiCallFailedException failure = catchThrowableOfType(ZapiCallFailedException.class, () -> client.fetchInvitationLink(GROUP));
        assertThat(failure.errorCode()).isEqualTo("422");
        assertThat(failure.zapiError()).isEqualTo("not json at all");
    }

    @Test
    void aRateLimitIsTransientAndCarriesRetryAfter() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        ZapiTransientException failure = catchThrowableOfType(ZapiTransientException.class, () -> client.fetchInvitationLink(GROUP));
        assertThat(failure.errorCode()).isEqualTo("429");
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        // every worker now waits out the Retry-After before its next call
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"invitationLink\":\"" + LINK + "\"}")));
        long started = System.nanoTime();
        client.fetchInvitationLink(GROUP);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(800));
    }

    @Test
    void serverErrorsTimeoutsAndResetsAreTransient() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(503)));
        assertThat(catchThrowableOfType(ZapiTransientException.class, () -> client.fetchInvitationLink(GROUP)).errorCode()).isEqualTo("503");
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{}").withFixedDelay(3000)));
        assertThat(catchThrowableOfType(ZapiTransientException.class, () -> client.fetchInvitationLink(GROUP)).errorCode()).isEqualTo("TIMEOUT");
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(catchThrowableOfType(ZapiTransientException.class, () -> client.fetchInvitationLink(GROUP)).errorCode()).isEqualTo("CONNECTION");
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        assertThat(catchThrowableOfType(ZapiTransientException.class, () -> client.fetchInvitationLink(GROUP)).errorCode()).isEqualTo("CONNECTION");
    }

    @Test
    void anIntermittentClientTokenErrorIsTransientAndAPersistentOneSystematic() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"your client-token is not configured\"}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiTransientException.class);
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiTransientException.class);
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class)
                .hasMessageStartingWith("Client-Token rejected");
    }

    @Test
    void aSuccessInBetweenResetsTheClientTokenCount() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"your client-token is not configured\"}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiTransientException.class);
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiTransientException.class);
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"invitationLink\":\"" + LINK + "\"}")));
        client.fetchInvitationLink(GROUP);
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"your client-token is not configured\"}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiTransientException.class);
    }

    @Test
    void a200CarryingAnErrorOrNoLinkIsAFailure() {
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"error\":\"Group not found\"}")));
        assertThat(catchThrowableOfType(ZapiCallFailedException.class, () -> client.fetchInvitationLink(GROUP)).zapiError())
                .isEqualTo("Group not found");
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"value\":false}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiCallFailedException.class);
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"phone\":\"120363019502650977-group\"}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiCallFailedException.class)
                .hasMessageContaining("no invitationLink");
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("[1, 2]")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiCallFailedException.class);
    }

    @Test
    void anHtmlPageIsSystematicUnlessItIsAGatewaysTransientAnswer() {
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("<html>gateway</html>")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class)
                .hasMessageContaining("HTML page (HTTP 200)");
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "text/html").withBody("\n<html>Not here</html>")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class)
                .hasMessageContaining("HTML page (HTTP 404)");
        for (int status : new int[] {502, 503, 429, 408}) {
            zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/html")
                    .withBody("<html><title>" + status + " Bad Gateway</title></html>")));
            assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).as("HTTP %d", status).isInstanceOf(ZapiTransientException.class);
        }
        // JSON labelled text/html is still JSON
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("{\"invitationLink\":\"" + LINK + "\"}")));
        assertThat(client.fetchInvitationLink(GROUP)).isEqualTo(LINK);
    }

    @Test
    void anyRedirectIsSystematicAndNamesOnlyTheHostItPointsTo() {
        for (int status : new int[] {301, 302, 307, 308}) {
            zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(status)
                    .withHeader("Location", "https://api.z-api.io" + LINK_PATH).withBody("moved to " + LINK_PATH)));
            ZapiSystematicException stop = catchThrowableOfType(ZapiSystematicException.class, () -> client.fetchInvitationLink(GROUP));
            assertThat(stop).as("HTTP %d", status).hasMessageContaining("HTTP " + status).hasMessageContaining("https://api.z-api.io")
                    .hasMessageContaining("ZAPI_BASE_URL");
            assertThat(stop.getMessage() + stop.zapiError()).doesNotContain("/instances").doesNotContain(TOKEN);
        }
    }

    @Test
    void clientTokenErrorsAreCountedPerWorker() throws Exception {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"your client-token is not configured\"}")));
        // three workers with one hiccup each: three errors, none of them in a row
        for (int worker = 0; worker < 3; worker++) {
            assertThat(onOwnThread(() -> client.fetchInvitationLink(GROUP))).isInstanceOf(ZapiTransientException.class);
        }
        // and one worker's success does not reset another's streak: the limit (3) is this worker's third
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiTransientException.class);
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiTransientException.class);
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"invitationLink\":\"" + LINK + "\"}")));
        assertThat(onOwnThread(() -> client.fetchInvitationLink(GROUP))).isNull();
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(400).withBody("{\"error\":\"your client-token is not configured\"}")));
        assertThatThrownBy(() -> client.fetchInvitationLink(GROUP)).isInstanceOf(ZapiSystematicException.class)
                .hasMessageStartingWith("Client-Token rejected");
    }

    /** What the call threw on a thread of its own, or null. */
    private static Throwable onOwnThread(Runnable call) throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        worker.start();
        worker.join();
        return thrown.get();
    }

    @Test
    void metadataAsksByThePercentEncodedLinkAndParsesTolerantly() {
        String link = "https://chat.whatsapp.com/KNmcL17D?qV&A=0 s";
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("""
                {"phone":"120363019502650977-group","owner":5511888888888,"subject":"Meu grupo","creation":"1588721491000",
                 "participantsCount":"3","contactsCount":null,"communityId":"x","newField":{"a":[1,2]},
                 "participants":[
                   {"phone":"5511888888888","isAdmin":"false","isSuperAdmin":"true","subjectTime":1617805323000,"subjectOwner":"5511888888888"},
                   {"phone":"5511777777777@lid","isAdmin":true,"isSuperAdmin":false},
                   {"phone":"5511666666666","isAdmin":"1"},
                   {"phone":"5511555555555","isAdmin":"maybe","isSuperAdmin":null},
                   null
                 ]}""")));
        GroupMetadata m = client.fetchMetadata(link);
        zapi.verify(getRequestedFor(urlEqualTo(BASE + "/group-invitation-metadata?url=https%3A%2F%2Fchat.whatsapp.com%2FKNmcL17D%3FqV%26A%3D0+s"))
                .withHeader("Client-Token", equalTo(CLIENT_TOKEN)));
        assertThat(m.owner()).isEqualTo("5511888888888");
        assertThat(m.creation()).isEqualTo(1588721491000L);
        assertThat(m.participantsCount()).isEqualTo(3);
        assertThat(m.contactsCount()).isNull();
        assertThat(m.description()).isNull();
        assertThat(m.participants()).hasSize(4);
        assertThat(m.adminsCount()).isEqualTo(3);
        assertThat(m.effectiveSubjectTime()).isEqualTo(1617805323000L);
        assertThat(m.effectiveSubjectOwner()).isEqualTo("5511888888888");
    }

    /** Z-API's @lid identifiers (docs/tips/lid.md) where the metadata names a person: read as sent, never as malformed. */
    @Test
    void lidIdentifiersInOwnerSubjectOwnerAndParticipantsAreReadUnchanged() {
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("""
                {"phone":"120363019502650977-group","owner":"81896604192873@lid","subject":"Vendas","subjectOwner":"999999999999999@lid",
                 "subjectTime":1617805323000,"participants":[
                   {"phone":"81896604192873@lid","isAdmin":"false","isSuperAdmin":"true"},
                   {"phone":"65998849469@lid","isAdmin":true,"isSuperAdmin":false,"subjectOwner":"65998849469@lid"},
                   {"phone":"554499999999","isAdmin":"false","isSuperAdmin":"false"}]}""")));
        GroupMetadata m = client.fetchMetadata(LINK);
        assertThat(m.owner()).isEqualTo("81896604192873@lid");
        assertThat(m.effectiveSubjectOwner()).isEqualTo("999999999999999@lid");
        assertThat(m.participants()).extracting(Participant::phone).containsExactly("81896604192873@lid", "65998849469@lid", "554499999999");
        assertThat(m.participants().get(1).subjectOwner()).isEqualTo("65998849469@lid");
        assertThat(m.adminsCount()).isEqualTo(2);
    }

    @Test
    void topLevelSubjectFieldsWinAndSecondsAreReadAsSeconds() {
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("""
                {"subjectTime":1617805323,"subjectOwner":"5511000000000","creation":1588721491000,
                 "participants":[{"phone":"1","subjectTime":1,"subjectOwner":"5511999999999"}]}""")));
        GroupMetadata m = client.fetchMetadata(LINK);
        assertThat(m.effectiveSubjectTime()).isEqualTo(1617805323000L);
        assertThat(m.effectiveSubjectOwner()).isEqualTo("5511000000000");
    }

    @Test
    void secretsEchoedByTheServerNeverReachAnExceptionMessage() {
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(404)
                .withBody("{\"error\":\"no group for token " + TOKEN + " and client " + CLIENT_TOKEN + "\"}")));
        ZapiCallFailedException failure = catchThrowableOfType(ZapiCallFailedException.class, () -> client.fetchInvitationLink(GROUP));
        assertThat(failure.getMessage()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN).contains("****");
        assertThat(failure.zapiError()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        assertThat(new Credentials("inst-1", TOKEN, CLIENT_TOKEN).toString()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
    }

    @Test
    void anEchoAcrossTheCutIsRedactedWholeAndAnEchoCutShortByTheServerIsMaskedToo() {
        String padding = "p".repeat(295);
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(422).withBody("{\"error\":\"" + padding + TOKEN + "\"}")));
        ZapiCallFailedException failure = catchThrowableOfType(ZapiCallFailedException.class, () -> client.fetchInvitationLink(GROUP));
        assertThat(failure.zapiError()).isEqualTo(padding + "****");
        // the server cut its own echo: what is left of the secret at the end is masked
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(422)
                .withBody("{\"error\":\"" + "q".repeat(400) + "\"}")));
        assertThat(catchThrowableOfType(ZapiCallFailedException.class, () -> client.fetchInvitationLink(GROUP)).zapiError())
                .hasSize(303).endsWith("q...");
        zapi.stubFor(post(LINK_PATH).willReturn(aResponse().withStatus(422)
                .withBody("{\"error\":\"client " + CLIENT_TOKEN.substring(0, 9) + "\"}")));
        assertThat(catchThrowableOfType(ZapiCallFailedException.class, () -> client.fetchInvitationLink(GROUP)).zapiError())
                .isEqualTo("client ****");
        // an error inside a 200 is bounded the same way
        zapi.stubFor(post(LINK_PATH).willReturn(okJson("{\"error\":\"" + "e".repeat(5000) + "\"}")));
        assertThat(catchThrowableOfType(ZapiCallFailedException.class, () -> client.fetchInvitationLink(GROUP)).zapiError()).hasSize(303);
    }
}

package zapi.grouproutes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * What a lookup's failure does to the http source, through the running routes: a transient cause (Z-API
 * unreachable) is a 503 with Retry-After, pauses the source until its probe sees Z-API again, and it resumes
 * by itself; refused credentials (401) stop it and every enriching request is 503 naming the cause, while
 * reads from the database go on. Never a key or token in the logs.
 */
class LookupsHeldTest {

    static final String KEY = "77aa66bb55cc44dd33ee22ff1100aa99bb88cc77dd66ee55ff44003322110099";
    static final String INSTANCE = "inst-held";
    static final String TOKEN = "tok-held-secret";
    static final String CLIENT_TOKEN = "ct-held-secret";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final String GROUP = "120363000000000201-group";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    TestDatabase database;
    ServiceRun service;
    ApiClient api;
    CapturedLogs logs;

    @BeforeEach
    void start() throws Exception {
        logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE);
        database = TestDatabase.postgres();
        zapi.stubFor(get(BASE + "/status").willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
        zapi.stubFor(get(urlPathMatching(BASE + "/group-invitation-link/.*")).willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/Held\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Held\",\"participants\":[]}")));
        int port = ApiClient.freePort();
        service = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .with("zapi.sources", "http").with("zapi.sinks", "jdbc").with("zapi.observe.enabled", "false")
                .with("zapi.invitation-link-method", "GET").with("zapi.retry.max-redeliveries", "1").with("zapi.outage.groups-in-a-row", "1")
                .with("zapi.intake.probe-interval-ms", "300").with("zapi.intake.probe-max-interval-ms", "600")
                .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.api.keys", "bus:" + ApiClient.hashOf(KEY)).with("zapi.api.rate.requests-per-second", "1000").startAsService();
        api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> lookup().statusCode() == 200);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            service.stop();
        } finally {
            database.close();
            logs.close();
        }
    }

    HttpResponse<String> lookup() throws Exception {
        return api.send(HttpRequest.newBuilder(api.uri("/api/lookups")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"groupIds\":[\"" + GROUP + "\"]}")), KEY);
    }

    String state() {
        return (String) readiness().getDetails().get("intake.http.state");
    }

    String cause() {
        return (String) readiness().getDetails().get("intake.http.cause");
    }

    HealthCheck.Result readiness() {
        return service.app().camelContext().getRegistry().lookupByNameAndType("intakeHealthCheck", HealthCheck.class).call();
    }

    @Test
    void zapiUnreachableIs503WithRetryAfterPausesTheSourceAndItResumesByItself() throws Exception {
        zapi.resetAll();
        zapi.stubFor(get(urlPathMatching(BASE + "/.*")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        HttpResponse<String> failed = lookup();
        HttpResponseAssert.problem(failed, 503, "paused");
        assertThat(failed.headers().firstValue("Retry-After")).isPresent();
        assertThat(state()).isEqualTo("PAUSED");
        // while paused: refused at once with the cause readiness shows, before any Z-API request; reads go on
        HttpResponse<String> held = lookup();
        HttpResponseAssert.problem(held, 503, cause());
        HttpResponseAssert.problem(api.get("/api/groups/" + GROUP + "?refresh=true", KEY), 503, "paused");
        assertThat(api.get("/api/groups/" + GROUP, KEY).statusCode()).isEqualTo(200);
        // Z-API is back: the probe resumes the source, and lookups are answered again
        zapi.resetAll();
        zapi.stubFor(get(BASE + "/status").willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
        zapi.stubFor(get(urlPathMatching(BASE + "/group-invitation-link/.*")).willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/Back\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Back\",\"participants\":[]}")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "RUNNING".equals(state()));
        HttpResponse<String> again = lookup();
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(ApiClient.json(again).get("groups").get(0).get("invitationLink").asText()).isEqualTo("https://chat.whatsapp.com/Back");
        assertThat(logs.text()).doesNotContain(KEY).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
    }

    @Test
    void refusedCredentialsStopTheSourceAnd503NamesTheCause() throws Exception {
        zapi.resetAll();
        zapi.stubFor(get(urlPathMatching(BASE + "/.*")).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"Client-Token " + CLIENT_TOKEN + " not allowed\"}")));
        HttpResponse<String> failed = lookup();
        HttpResponseAssert.problem(failed, 503, "stopped");
        assertThat(state()).isEqualTo("STOPPED");
        assertThat(ApiClient.json(failed).get("detail").asText()).contains(cause());
        HttpResponseAssert.problem(lookup(), 503, cause());
        assertThat(api.get("/api/groups/" + GROUP, KEY).statusCode()).isEqualTo(200);
        assertThat(logs.text()).contains("API POST /api/lookups by key 'bus'").doesNotContain(KEY).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        assertThat(failed.body()).doesNotContain(CLIENT_TOKEN);
    }
}

package zapi.grouproutes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.health.HealthCheck;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;

/**
 * A posted list is on disk before its 202, and its batch ends only with its report: a service stopped mid-batch
 * resumes the spooled list at its next start (each group once in the report, none fetched twice); a batch stopped
 * by a Z-API outage pauses the http source (posts are 503 meanwhile), stays spooled, and runs again by itself once
 * Z-API answers.
 */
class BatchesResumeTest {

    static final String KEY = "b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c40002";
    static final String INSTANCE = "inst-resume";
    static final String TOKEN = "tok-resume-secret";
    static final String CLIENT_TOKEN = "ct-resume-secret";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    BatchRun service(String baseUrl, int port) {
        return new BatchRun(dir).against(baseUrl, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.mode", "service").with("zapi.sources", "http")
                .with("zapi.sinks", "csv,jdbc").with("zapi.observe.enabled", "false").with("zapi.api.batch-spool", dir.resolve("spool").toString())
                .with("zapi.invitation-link-method", "GET").with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.api.keys", "ops:" + ApiClient.hashOf(KEY)).with("zapi.api.rate.requests-per-second", "1000");
    }

    static HttpResponse<String> postList(ApiClient api, String list) throws Exception {
        return api.send(HttpRequest.newBuilder(api.uri("/api/batches")).header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(list)),
                KEY);
    }

    static JsonNode status(ApiClient api, String id) throws Exception {
        return ApiClient.json(api.get("/api/batches/" + id, KEY));
    }

    static List<String> reportGroups(ApiClient api, String id) throws Exception {
        HttpResponse<String> report = api.get("/api/batches/" + id + "/report", KEY);
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        List<String> groups = new ArrayList<>();
        for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(report.body()))) {
            groups.add(row.get("group_id"));
        }
        return groups;
    }

    static ApiClient ready(int port) {
        ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.get("/api/openapi.json", KEY).statusCode() == 200);
        return api;
    }

    @Test
    void aServiceStoppedMidBatchResumesTheSpooledListAtItsNextStartAndReportsEachGroupOnce() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(40)).start();
                CapturedLogs logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE)) {
            List<String> groups = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                groups.add(String.format("120363000000500%03d-group", i));
            }
            int port = ApiClient.freePort();
            ServiceRun first = service(simulator.baseUrl().toString(), port).startAsService();
            String id;
            try {
                ApiClient api = ready(port);
                HttpResponse<String> accepted = postList(api, String.join("\n", groups) + "\n");
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                id = ApiClient.json(accepted).get("id").asText();
                await().atMost(Duration.ofSeconds(30)).until(() -> status(api, id).path("done").asLong() >= 10);
            } finally {
                first.stop();
            }
            assertThat(dir.resolve("spool").resolve(id + ".txt")).as("the unfinished list stays spooled").exists();

            int secondPort = ApiClient.freePort();
            ServiceRun second = service(simulator.baseUrl().toString(), secondPort).startAsService();
            try {
                ApiClient api = ready(secondPort);
                await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(status(api, id).path("status").asText()));
                assertThat(reportGroups(api, id)).containsExactlyInAnyOrderElementsOf(groups);
                assertThat(groups).allSatisfy(group -> assertThat(simulator.linkRequests(group)).as(group).isEqualTo(1));
                assertThat(status(api, id).get("counts").get("ok").asLong()).isEqualTo(groups.size());
            } finally {
                second.stop();
            }
            assertThat(logs.text()).contains("resuming 1 unfinished earlier run(s)").doesNotContain(KEY).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
    }

    @Test
    void aBatchStoppedByAnOutagePausesTheSourcePostsAre503AndTheListRunsAgainOnceZapiAnswers() throws Exception {
        try (CapturedLogs logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE)) {
            zapi.stubFor(get(urlPathMatching(BASE + "/.*")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            int port = ApiClient.freePort();
            ServiceRun service = service(zapi.baseUrl(), port).with("zapi.retry.max-redeliveries", "1").with("zapi.outage.groups-in-a-row", "1")
                    .with("zapi.intake.probe-interval-ms", "300").with("zapi.intake.probe-max-interval-ms", "600").startAsService();
            try {
                ApiClient api = ready(port);
                // more groups than workers: once one gave up on Z-API's outage, the next one stops the batch
                List<String> groups = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    groups.add(String.format("1203630000006%05d-group", i));
                }
                HttpResponse<String> accepted = postList(api, String.join("\n", groups));
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                String id = ApiClient.json(accepted).get("id").asText();
                await().atMost(Duration.ofSeconds(30)).until(() -> "PAUSED".equals(readiness(service).getDetails().get("intake.http.state")));
                JsonNode stopped = status(api, id);
                assertThat(stopped.get("status").asText()).as(stopped.toString()).isEqualTo("INCOMPLETE");
                assertThat(stopped.get("reason").asText()).isNotBlank();

                HttpResponse<String> held = postList(api, "120363000000000699-group\n");
                HttpResponseAssert.problem(held, 503, (String) readiness(service).getDetails().get("intake.http.cause"));
                assertThat(held.headers().firstValue("Retry-After")).isPresent();
                new OpenApiSchemas(ApiClient.json(api.get("/api/openapi.json", KEY))).assertMatches("post", "/api/batches", "503", held.body());

                zapi.resetAll();
                zapi.stubFor(get(BASE + "/status").willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
                zapi.stubFor(get(urlPathMatching(BASE + "/group-invitation-link/.*")).willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/Back\"}")));
                zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Back\",\"participants\":[]}")));
                await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(status(api, id).path("status").asText()));
                assertThat(reportGroups(api, id)).containsExactlyInAnyOrderElementsOf(groups);
                assertThat(status(api, id).get("counts").get("ok").asLong()).isEqualTo(groups.size());
            } finally {
                service.stop();
            }
            assertThat(logs.text()).contains("API batch").doesNotContain(KEY).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
    }

    static HealthCheck.Result readiness(ServiceRun service) {
        return service.app().camelContext().getRegistry().lookupByNameAndType("intakeHealthCheck", HealthCheck.class).call();
    }
}

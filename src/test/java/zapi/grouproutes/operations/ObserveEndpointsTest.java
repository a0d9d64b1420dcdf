package zapi.grouproutes.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.Scrape;
import zapi.grouproutes.support.ServiceRun;

/**
 * /observe/health and /observe/metrics as a scraper and a probe see them, during a batch and during a
 * stop, and the batch-mode run that leaves the port to the service.
 */
class ObserveEndpointsTest {

    static final String INSTANCE = "inst-observe";
    static final String TOKEN = "ObSeRvEtOkEn4k5l6m";
    static final String CLIENT_TOKEN = "ObSeRvEcLiEnT7n8p9q";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void duringABatchHealthIsUpAndTheMetricsCountGroupsAndRequestsUp() throws Exception {
        int groups = 40;
        String list = IntStream.rangeClosed(1, groups).mapToObj(i -> String.format("1203630195026%05d-group", i))
                .collect(Collectors.joining("\n"));
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(20)).start()) {
            // 80 requests at 25 per second: a batch of about 3 s, long enough to be watched
            BatchRun run = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.rate.requests-per-second", "25");
            ServiceRun service = run.startAsService();
            try {
                URI observe = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(service::observeUrl, u -> true);
                await().atMost(Duration.ofSeconds(10)).until(() -> get(observe, "/observe/health/ready").statusCode() == 200);

                Files.writeString(run.inbox().resolve("groups.txt"), list, StandardCharsets.UTF_8);
                String early = await().atMost(Duration.ofSeconds(20))
                        .until(() -> get(observe, "/observe/metrics").body(), m -> value(m, "zapi_batches_running") == 1 && value(m, "zapi_batch_groups_done") >= 3);
                double doneEarly = value(early, "zapi_batch_groups_done");
                double linksEarly = value(early, "zapi_requests_seconds_count{operation=\"group-invitation-link\",status=\"200\"}");
                assertThat(linksEarly).isGreaterThanOrEqualTo(doneEarly);
                assertThat(value(early, "zapi_groups_total{outcome=\"OK\"}")).isEqualTo(doneEarly);
                assertThat(value(early, "zapi_rate_limit_requests_per_second")).isEqualTo(25);
                assertThat(value(early, "zapi_batch_groups_expected")).isEqualTo(40.0);

                HttpResponse<String> ready = get(observe, "/observe/health/ready");
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("\"status\":\"UP\"");
                assertThat(get(observe, "/observe/health/live").statusCode()).isEqualTo(200);

                String later = await().atMost(Duration.ofSeconds(20)).until(() -> get(observe, "/observe/metrics").body(),
                        m -> value(m, "zapi_batch_groups_done") > doneEarly && value(m, "zapi_batches_running") == 1);
                assertThat(value(later, "zapi_requests_seconds_count{operation=\"group-invitation-link\",status=\"200\"}")).isGreaterThan(linksEarly);
                assertThat(value(later, "zapi_groups_total{outcome=\"OK\"}")).isGreaterThan(doneEarly);
                // the latency histogram, and Camel's own route metrics in the same registry
                assertThat(later).contains("zapi_requests_seconds_bucket{operation=\"group-invitation-metadata\",status=\"200\",le=\"0.1\"}")
                        .contains("zapi_db_write_seconds_count{result=\"written\"}")
                        .contains("camel_exchanges_total{camelContext=\"zapi-group-routes\",eventType=\"route\",kind=\"CamelRoute\",routeId=\"enrich-group\"}");

                String after = await().atMost(Duration.ofSeconds(30)).until(() -> get(observe, "/observe/metrics").body(),
                        m -> value(m, "zapi_batches_running") == 0);
                assertThat(value(after, "zapi_groups_total{outcome=\"OK\"}")).isEqualTo(groups);
                assertThat(value(after, "zapi_batch_groups_done")).isZero();
                assertThat(value(after, "zapi_rate_limited_total")).isZero();
                assertNoSecret(after);
            } finally {
                assertThat(service.stop()).isZero();
            }
        }
    }

    @Test
    void duringAStopReadinessIsDownNamingTheCauseLivenessStaysUpAndMetricsAreStillServed() throws Exception {
        // revoked credentials, and an error body that echoes the secrets
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"unauthorized: /instances/" + INSTANCE + "/token/" + TOKEN + " with " + CLIENT_TOKEN + "\"}")));
        BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN);
        try (CapturedLogs logs = new CapturedLogs()) {
            ServiceRun service = run.startAsService();
            try {
                URI observe = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(service::observeUrl, u -> true);
                await().atMost(Duration.ofSeconds(10)).until(() -> get(observe, "/observe/health/ready").statusCode() == 200);

                Files.writeString(run.inbox().resolve("groups.txt"), "120363000000000001-group\n120363000000000002-group\n", StandardCharsets.UTF_8);
                HttpResponse<String> ready = await().atMost(Duration.ofSeconds(20)).until(() -> get(observe, "/observe/health/ready"),
                        r -> r.statusCode() == 503 && r.body().contains("\"name\":\"intake\""));
                assertThat(ready.body()).contains("\"status\":\"DOWN\"").contains("intake stopped since")
                        .contains("Client-Token or instance token rejected (HTTP 401").contains("restart the service");
                assertThat(logs.text()).contains("Batch groups.txt stopped: Client-Token or instance token rejected (HTTP 401");

                HttpResponse<String> live = get(observe, "/observe/health/live");
                assertThat(live.statusCode()).as("a restart would not fix revoked credentials").isEqualTo(200);
                assertThat(live.body()).contains("\"status\":\"UP\"");

                HttpResponse<String> metrics = get(observe, "/observe/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(value(metrics.body(), "zapi_requests_seconds_count{operation=\"group-invitation-link\",status=\"401\"}")).isGreaterThanOrEqualTo(1);
                assertThat(value(metrics.body(), "zapi_batches_running")).isZero();

                String full = get(observe, "/observe/health?exposureLevel=full&data=true").body();
                assertThat(full).contains("intake.cause");
                for (String body : new String[] {ready.body(), live.body(), metrics.body(), full}) {
                    assertNoSecret(body);
                }
            } finally {
                service.stop();
            }
        }
    }

    @Test
    void aBatchModeRunLeavesTheServicesPortAlone() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
                ServerSocket service = new ServerSocket(0)) {
            BatchRun run = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN)
                    .with("zapi.observe.port", String.valueOf(service.getLocalPort()))
                    .input("groups.txt", "120363019502650977-group\n").run();

            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).hasSize(1);
        }
    }

    @Test
    void aBatchModeRunAskedToServeOnATakenPortSaysSoAndDoesNotStart() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
                ServerSocket service = new ServerSocket(0); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN)
                    .with("zapi.observe.enabled", "true").with("zapi.observe.port", String.valueOf(service.getLocalPort()))
                    .input("groups.txt", "120363019502650977-group\n").run();

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(logs.text()).contains("zapi-group-routes cannot start").contains(String.valueOf(service.getLocalPort()));
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
        }
    }

    private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The value of one series in Prometheus text (name with its labels as printed), or -1 if it is absent. */
    static double value(String metrics, String series) {
        return Scrape.value(metrics, series);
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN).doesNotContain(TOKEN.substring(0, 8))
                .doesNotContain(CLIENT_TOKEN.substring(0, 8));
    }
}

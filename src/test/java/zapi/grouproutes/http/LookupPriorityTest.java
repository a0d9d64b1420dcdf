package zapi.grouproutes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * The interactive lane through the routes: a long file batch with many workers against a slow-ish Z-API at a low
 * rate, then a lookup. The lookup's two requests each take the next permit ahead of the batch's waiting workers,
 * so its latency is about two permit intervals plus two Z-API answers, not the batch's line; and the total
 * request rate never exceeds the budget.
 */
class LookupPriorityTest {

    static final String KEY = "1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd";
    static final String INSTANCE = "inst-lane";
    static final String TOKEN = "tok-lane";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final int RATE = 5;
    static final int WORKERS = 16;
    static final int LATENCY_MILLIS = 150;

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().containerThreads(40)).build();

    @TempDir
    Path dir;

    @Test
    void aLookupDuringABigBatchTakesTheNextPermitAndTheTotalRateHolds() throws Exception {
        zapi.stubFor(get(BASE + "/status").willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
        zapi.stubFor(get(urlPathMatching(BASE + "/group-invitation-link/.*"))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/Lane\"}").withFixedDelay(LATENCY_MILLIS)));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata"))
                .willReturn(okJson("{\"subject\":\"Lane\",\"participants\":[]}").withFixedDelay(LATENCY_MILLIS)));
        try (TestDatabase database = TestDatabase.postgres()) {
            int port = ApiClient.freePort();
            BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, "ct-lane").with(database.settings())
                    .with("zapi.sources", "inbox,http").with("zapi.observe.enabled", "false").with("zapi.invitation-link-method", "GET")
                    .with("zapi.rate.requests-per-second", String.valueOf(RATE)).with("zapi.concurrency", String.valueOf(WORKERS))
                    .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                    .with("zapi.api.keys", "bus:" + ApiClient.hashOf(KEY)).with("zapi.api.rate.requests-per-second", "1000");
            ServiceRun service = run.startAsService();
            try {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.get("/api/openapi.json", KEY).statusCode() == 200);
                String batch = IntStream.range(0, 200).mapToObj(i -> String.format("120363%012d-group", i)).collect(Collectors.joining("\n"));
                Files.writeString(run.inbox().resolve("big.txt"), batch + "\n");
                // the batch is under way: its workers all wait in the budget's line
                await().atMost(Duration.ofSeconds(30)).until(() -> zapi.findAll(anyRequestedFor(urlPathMatching(".*group-invitation-link.*"))).size() >= 10);
                long started = System.nanoTime();
                HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/api/lookups")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"groupIds\":[\"120363999999999991-group\"]}")), KEY);
                long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(ApiClient.json(response).get("groups").get(0).get("outcome").asText()).as(response.body() + " in " + millis + " ms").isEqualTo("OK");
                // two requests, each at most about one permit interval (plus the slot being waited for) and one answer,
                // and the sink's writes beside the batch's: measured about 2 s on 2 shared cores. Behind the batch's 16
                // waiting workers each request would wait about 16 / 5 s: 6.4 s for the two
                long bound = 2 * (2 * 1000 / RATE + LATENCY_MILLIS) + 2000;
                long batchLine = 2 * WORKERS * 1000 / RATE;
                assertThat(bound).isLessThan(batchLine);
                assertThat(millis).as("lookup latency during the batch, bound %d ms", bound).isLessThan(bound);
                // the total rate: no 1-second window holds more than rate + burst requests
                List<Long> sent = zapi.findAll(anyRequestedFor(urlPathMatching(".*group-invitation-(link|metadata).*"))).stream()
                        .map(LoggedRequest::getLoggedDate).map(d -> d.getTime()).sorted().toList();
                assertThat(sent.size()).isGreaterThan(20);
                int most = 0;
                for (int i = 0, j = 0; i < sent.size(); i++) {
                    while (sent.get(i) - sent.get(j) >= 1000) {
                        j++;
                    }
                    most = Math.max(most, i - j + 1);
                }
                // + 1 for the millisecond rounding of WireMock's logged dates at a window's edge
                assertThat(most).as("requests in the busiest second").isLessThanOrEqualTo(RATE + 1 + 1);
            } finally {
                service.stop();
            }
        }
    }
}

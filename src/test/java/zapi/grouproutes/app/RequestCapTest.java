package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.zapi.RequestBudget;

/**
 * The request rate is a hard cap, counted where it matters: at the server, by the arrival time of every
 * request. Eight workers against a server that answers at once would send hundreds of requests a second;
 * at a cap of 10/s no 1-second window may hold more than 10 + the budget's burst (1), whatever the
 * protocol makes the client send: the pause after a 429, the 405 fallback, the 415 fix, the retries of
 * a 5xx.
 */
class RequestCapTest {

    static final String INSTANCE = "inst-cap";
    static final String TOKEN = "TkCap0b5e2d7a91";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final String LINK = BASE + "/group-invitation-link/";
    static final String METADATA = BASE + "/group-invitation-metadata";
    static final int RATE = 10;
    static final int WORKERS = 8;

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    /** Every third group's first link request is answered 429 with Retry-After: 1. */
    @Test
    void noWindowExceedsTheCapAfterA429WithRetryAfter() throws IOException {
        List<String> groups = groups(18);
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            if (i % 6 == 0) {
                zapi.stubFor(post(LINK + group).inScenario(group).whenScenarioStateIs(STARTED)
                        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("{\"error\":\"too many requests\"}"))
                        .willSetStateTo("waited"));
                zapi.stubFor(post(LINK + group).inScenario(group).whenScenarioStateIs("waited").willReturn(link(group)));
            } else {
                zapi.stubFor(post(LINK + group).willReturn(link(group)));
            }
        }
        metadataAnswers();
        runAndCheck(groups);
        assertThat(statuses(429)).isEqualTo(3);
    }

    /** Half the groups' links answer only GET, the other half only POST: the sticky method flips back and forth. */
    @Test
    void noWindowExceedsTheCapWith405Fallbacks() throws IOException {
        List<String> groups = groups(24);
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            boolean getOnly = i % 2 == 0;
            zapi.stubFor(post(LINK + group).willReturn(getOnly ? aResponse().withStatus(405) : link(group)));
            zapi.stubFor(get(LINK + group).willReturn(getOnly ? link(group) : aResponse().withStatus(405)));
        }
        metadataAnswers();
        runAndCheck(groups);
        assertThat(statuses(405)).isGreaterThanOrEqualTo(groups.size() / 4);
    }

    /** A proxy answers 415 until Accept is explicit: every worker's first request is refused and sent again at once. */
    @Test
    void noWindowExceedsTheCapWith415Fixes() throws IOException {
        List<String> groups = groups(24);
        for (String group : groups) {
            zapi.stubFor(post(LINK + group).withHeader("Accept", absent()).willReturn(aResponse().withStatus(415)));
            zapi.stubFor(post(LINK + group).withHeader("Accept", equalTo("application/json")).willReturn(link(group)));
        }
        zapi.stubFor(get(urlPathEqualTo(METADATA)).withHeader("Accept", absent()).willReturn(aResponse().withStatus(415)));
        zapi.stubFor(get(urlPathEqualTo(METADATA)).withHeader("Accept", equalTo("application/json"))
                .willReturn(okJson("{\"subject\":\"S\",\"participants\":[]}")));
        runAndCheck(groups);
        assertThat(statuses(415)).isGreaterThanOrEqualTo(1);
    }

    /** Every group's first link request fails with 503 and is retried by the routes after 20 ms. */
    @Test
    void noWindowExceedsTheCapWithRetriesOf5xx() throws IOException {
        List<String> groups = groups(18);
        for (String group : groups) {
            zapi.stubFor(post(LINK + group).inScenario(group).whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(503).withBody("busy")).willSetStateTo("recovered"));
            zapi.stubFor(post(LINK + group).inScenario(group).whenScenarioStateIs("recovered").willReturn(link(group)));
        }
        metadataAnswers();
        runAndCheck(groups);
        assertThat(statuses(503)).isEqualTo(groups.size());
    }

    private void runAndCheck(List<String> groups) throws IOException {
        BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, "")
                .with("zapi.rate.requests-per-second", String.valueOf(RATE)).with("zapi.concurrency", String.valueOf(WORKERS))
                .input("groups.txt", String.join("\n", groups) + "\n").run();
        assertThat(run.exitCode()).isZero();
        assertThat(run.reportRows()).hasSize(groups.size()).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("OK"));
        List<Long> arrivals = zapi.getAllServeEvents().stream().map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
        int busiest = busiestSecond(arrivals);
        long cap = RATE + RequestBudget.burst(RATE);
        System.out.printf("RequestCapTest: %d requests in %d ms, busiest 1-s window %d (cap %d)%n", arrivals.size(),
                arrivals.get(arrivals.size() - 1) - arrivals.get(0), busiest, cap);
        // the permits are handed out at most cap per second; WireMock stamps arrivals to the millisecond a
        // moment later, so one request of tolerance for that jitter (the old throttle let 14 to 25 through)
        assertThat(busiest).as("requests in the busiest 1-second window").isLessThanOrEqualTo((int) cap + 1);
        // the workers wanted more than the cap: it was the cap, not the workers, that held them back
        assertThat(busiest).as("requests in the busiest 1-second window").isGreaterThanOrEqualTo(RATE - 2);
    }

    /** The most arrivals within any 1,000 ms (a window starting at each arrival is enough to find it). */
    static int busiestSecond(List<Long> sortedMillis) {
        return busiestWindow(sortedMillis, 1000);
    }

    /** The most arrivals less than {@code windowMillis} apart from the first of them. */
    static int busiestWindow(List<Long> sortedMillis, long windowMillis) {
        int busiest = 0;
        int first = 0;
        for (int last = 0; last < sortedMillis.size(); last++) {
            while (sortedMillis.get(last) - sortedMillis.get(first) >= windowMillis) {
                first++;
            }
            busiest = Math.max(busiest, last - first + 1);
        }
        return busiest;
    }

    private static long statuses(int status) {
        return zapi.getAllServeEvents().stream().map(ServeEvent::getResponse).filter(r -> r.getStatus() == status).count();
    }

    private static List<String> groups(int count) {
        return InboxBatchTest.ids(count).lines().toList();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder link(String group) {
        return okJson("{\"invitationLink\":\"https://chat.whatsapp.com/" + group + "\"}");
    }

    private static void metadataAnswers() {
        zapi.stubFor(get(urlPathEqualTo(METADATA)).willReturn(okJson("{\"subject\":\"S\",\"participants\":[]}")));
    }
}

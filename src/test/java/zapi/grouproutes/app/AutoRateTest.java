package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import zapi.grouproutes.zapi.RequestBudget;
import zapi.grouproutes.zapi.RequestRate;

/**
 * {@code zapi.rate.requests-per-second=auto} and {@code zapi.concurrency=auto} (the defaults) in whole
 * runs: against the simulator's hidden limit the rate rises without a 429, backs off on one, and the
 * gauge and the log follow it; against an unlimited server it stops at {@code zapi.rate.max}, counted at
 * the server, with more workers than the four it starts with; a fixed number does not adapt.
 */
class AutoRateTest {

    static final String INSTANCE = "inst-auto";
    static final String TOKEN = "TkAuto5d1c9e0b7";
    static final String CLIENT_TOKEN = "CtAuto3f8a6b2";
    private static final Pattern RATE_LINE = Pattern.compile("Z-API request rate now ([0-9.]+) requests/s \\((up|down) from ([0-9.]+)");

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().containerThreads(64)).build();

    @TempDir
    Path dir;

    private record RateLine(double rate, boolean up, double from) {
    }

    @Test
    void theRateRisesWithoutA429BacksOffOnOneAndTheGaugeAndTheLogFollowIt() throws Exception {
        // a hidden limit of 20/s (a bucket of 20): slow start from 5 passes it within 3 s, and the bucket
        // runs dry a little later
        int groups = 80;
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN,
                SimulatorOptions.defaults().withLatencyMillis(10).withRequestsPerSecond(20)).start();
                CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = auto(new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN));
            ServiceRun service = run.startAsService();
            try {
                URI observe = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(service::observeUrl, u -> true);
                assertThat(gauge(observe)).as("the gauge before any request: the initial rate").isEqualTo(5);
                Files.writeString(run.inbox().resolve("groups.txt"), InboxBatchTest.ids(groups), StandardCharsets.UTF_8);
                await().atMost(Duration.ofSeconds(40)).until(() -> Scrape.value(Scrape.of(observe), "zapi_groups_total{outcome=\"OK\"}") == groups);
                String after = Scrape.of(observe);

                assertThat(simulator.rateLimitedCount()).as("the limit was found: 429s came").isPositive();
                assertThat(Scrape.value(after, "zapi_rate_limited_total")).isEqualTo(simulator.rateLimitedCount());
                double inForce = service.app().camelContext().getRegistry().lookupByNameAndType("requestRate", RequestRate.class).perSecond();
                assertThat(Scrape.value(after, "zapi_rate_limit_requests_per_second")).as("the gauge reads the rate in force")
                        .isEqualTo(inForce).isNotEqualTo(5);

                List<RateLine> lines = rateLines(logs.text());
                int firstDown = indexOfFirstDown(lines);
                assertThat(firstDown).as("a back-off was logged: %s", lines).isPositive();
                // slow start: up and up, without a 429 (each one cuts), from 5 to past the limit
                assertThat(lines.subList(0, firstDown)).allSatisfy(line -> assertThat(line.up()).isTrue());
                assertThat(lines.get(0).from()).isEqualTo(5);
                assertThat(lines.get(firstDown - 1).rate()).isGreaterThan(20);
                // the first 429 halves the rate of slow start, which was under 20% above the line before
                assertThat(lines.get(firstDown).rate()).isLessThanOrEqualTo(lines.get(firstDown).from() * 1.2 / 2 + 0.1);
                // a line only for a move of more than 20% since the last line (the figures are rounded to 0.1)
                for (RateLine line : lines) {
                    assertThat(Math.abs(line.rate() - line.from())).as("%s", line).isGreaterThan(0.2 * line.from() - 0.1);
                }
                for (int i = 1; i < lines.size(); i++) {
                    assertThat(lines.get(i).from()).isCloseTo(lines.get(i - 1).rate(), within(0.06));
                }
            } finally {
                assertThat(service.stop()).isZero();
            }
        }
    }

    @Test
    void theRateStopsAtZapiRateMaxAndTheWorkersGrowToCarryIt() throws IOException {
        // 100 ms per answer: the four workers auto starts with carry at most 40 requests/s
        zapi.stubFor(post(urlPathMatching(".*/group-invitation-link/.*"))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/AbC\"}").withFixedDelay(100)));
        zapi.stubFor(get(urlPathMatching(".*/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"S\"}").withFixedDelay(100)));
        int max = 60;
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = auto(new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN)).with("zapi.rate.max", String.valueOf(max))
                    .input("groups.txt", InboxBatchTest.ids(240)).run();
            assertThat(run.exitCode()).isZero();
            assertThat(logs.text()).contains("rate auto (5.0 requests/s at first, at most 60.0)").contains("concurrency auto (4 to 64 workers)");
        }
        List<Long> arrivals = zapi.getAllServeEvents().stream().map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
        int busiest = RequestCapTest.busiestSecond(arrivals);
        System.out.printf("AutoRateTest: %d requests in %d ms, busiest 1-s window %d (max %d)%n", arrivals.size(),
                arrivals.get(arrivals.size() - 1) - arrivals.get(0), busiest, max);
        // the cap of a fixed rate of 60 (burst 6), and the same millisecond of arrival jitter as RequestCapTest
        assertThat(busiest).as("requests in the busiest 1-second window").isLessThanOrEqualTo(max + (int) RequestBudget.burst(max) + 1);
        // the workers grew with the rate: more than the four auto starts with were in flight at once. Each request
        // is held 100 ms, so requests that arrived less than that apart were at the server together, however slow
        // the machine (four workers can never start a fifth request within one answer's time)
        assertThat(RequestCapTest.busiestWindow(arrivals, 98)).as("requests in flight at once, at the server").isGreaterThan(4);
    }

    @Test
    void aFixedRateDoesNotAdaptTo429s() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN,
                SimulatorOptions.defaults().withRequestsPerSecond(8)).start();
                CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.rate.requests-per-second", "12")
                    .with("zapi.retry.max-redeliveries", "10");
            ServiceRun service = run.startAsService();
            try {
                URI observe = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(service::observeUrl, u -> true);
                Files.writeString(run.inbox().resolve("groups.txt"), InboxBatchTest.ids(20), StandardCharsets.UTF_8);
                await().atMost(Duration.ofSeconds(40)).until(() -> Scrape.value(Scrape.of(observe), "zapi_groups_total{outcome=\"OK\"}") == 20);
                String after = Scrape.of(observe);
                assertThat(Scrape.value(after, "zapi_rate_limited_total")).isPositive();
                assertThat(Scrape.value(after, "zapi_rate_limit_requests_per_second")).isEqualTo(12);
                assertThat(logs.text()).contains("concurrency 4, 12.0 requests/s").doesNotContain("Z-API request rate now");
            } finally {
                assertThat(service.stop()).isZero();
            }
        }
    }

    /** The defaults of config/application.properties, which BatchRun replaces with a fixed 200/s and 4 workers. */
    private static BatchRun auto(BatchRun run) {
        return run.with("zapi.rate.requests-per-second", "").with("zapi.concurrency", "").with("zapi.retry.max-redeliveries", "10");
    }

    private static double gauge(URI observe) throws Exception {
        return Scrape.value(Scrape.of(observe), "zapi_rate_limit_requests_per_second");
    }

    private static List<RateLine> rateLines(String log) {
        List<RateLine> lines = new ArrayList<>();
        Matcher m = RATE_LINE.matcher(log);
        while (m.find()) {
            lines.add(new RateLine(Double.parseDouble(m.group(1)), m.group(2).equals("up"), Double.parseDouble(m.group(3))));
        }
        return lines;
    }

    private static int indexOfFirstDown(List<RateLine> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).up()) {
                return i;
            }
        }
        return -1;
    }
}

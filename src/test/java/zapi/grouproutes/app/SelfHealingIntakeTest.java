package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.ServiceStatus;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.StatusProbes;
import zapi.grouproutes.support.TestDatabase;

/**
 * Service mode: an outage pauses intake and intake resumes by itself when Z-API answers again; a cause
 * that needs a person keeps intake stopped and says why.
 */
class SelfHealingIntakeTest {

    static final String BASE = "/instances/inst-heal/token/tok-heal";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final Duration PROBE = Duration.ofMillis(200);
    static final Duration PROBE_MAX = Duration.ofMillis(1000);
    /** How much sooner than its delay a probe may arrive: the delay counts from just before the previous probe was sent, and sending it may stall. */
    static final Duration EARLY = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private static void healthyZapi() {
        zapi.resetAll();
        zapi.stubFor(post(urlPathMatching(BASE + "/group-invitation-link/.*"))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/HealedGroupAAAAAAAAAAA\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Healed\",\"participants\":[]}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/status")).willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
    }

    /**
     * The probe's backoff, on the server's clock: a probe interval of 200 ms doubling up to 1 s. Each gap
     * between two probes is at least the documented delay (interval × 2^k, at most the maximum; a late
     * timer only makes a gap longer), and once at the maximum the gaps stop doubling. The outage lasts
     * as many probes as that takes, not a fixed time.
     */
    @Test
    void anOutagePausesIntakeWhichProbesWithBackoffAndResumesByItselfFinishingEveryGroup() throws Exception {
        zapi.resetAll();
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("{\"error\":\"Service Unavailable\"}")));
        BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), "inst-heal", "tok-heal", "ct-heal")
                .with("zapi.retry.max-redeliveries", "1").with("zapi.outage.groups-in-a-row", "3")
                .with("zapi.intake.probe-interval-ms", String.valueOf(PROBE.toMillis()))
                .with("zapi.intake.probe-max-interval-ms", String.valueOf(PROBE_MAX.toMillis()));
        try (CapturedLogs logs = new CapturedLogs(); TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            ServiceRun service = run.startAsService();
            try {
                run.input("groups.txt", InboxBatchTest.ids(40));
                // a time-out, not a wait: on a loaded machine start-up, the file's minimum age and the retries take a while
                IntakeStatus intake = await().atMost(Duration.ofSeconds(120)).until(() -> intakeOf(service),
                        s -> s != null && s.state() == IntakeStatus.State.PAUSED);
                assertThat(intake.cause()).startsWith("Z-API unreachable");
                // the failed exchange lets go of its lock file just after the pause begins
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(run.waitingInputs()).containsExactly("groups.txt"));
                assertThat(service.app().camelContext().getRouteController().getRouteStatus("inbox-files")).isNotEqualTo(ServiceStatus.Stopped);

                // the outage lasts 8 probes: the backoff reaches its maximum and stays there for several
                StatusProbes probes = await().atMost(Duration.ofSeconds(60)).until(() -> StatusProbes.of(zapi, BASE),
                        p -> p.count() >= 8);
                StatusProbes paused = StatusProbes.of(zapi, BASE, probes.at().get(3));
                assertThat(intake.state()).isEqualTo(IntakeStatus.State.PAUSED);
                assertThat(run.reportFiles()).noneMatch(n -> n.startsWith("groups-"));
                assertThat(logs.text()).contains("Intake still paused (Z-API: status answered HTTP 503");
                List<Duration> gaps = paused.gaps().subList(0, 7);
                for (int k = 0; k < gaps.size(); k++) {
                    Duration least = PROBE.multipliedBy(1L << Math.min(k, 10));
                    least = least.compareTo(PROBE_MAX) > 0 ? PROBE_MAX : least;
                    assertThat(gaps.get(k)).as("gap %d between probes (all: %s)", k, gaps).isGreaterThanOrEqualTo(least.minus(EARLY));
                }
                // 200, 400, 800 ms: the maximum is reached by the fourth gap; a backoff past it would double to 1.6 s, 3.2 s
                assertThat(gaps.subList(3, gaps.size())).as("gaps at the maximum (all: %s)", gaps)
                        .allSatisfy(gap -> assertThat(gap).isLessThan(PROBE_MAX.multipliedBy(5).dividedBy(2)));
                // paused means no group is tried: while paused, the probe is the only Z-API traffic
                assertThat(paused.others()).as("requests other than probes while paused").isEmpty();

                healthyZapi();
                await().atMost(Duration.ofSeconds(30)).until(() -> run.reportFiles().stream().anyMatch(n -> n.matches("groups-.*Z\\.csv")));
                assertThat(intake.state()).isEqualTo(IntakeStatus.State.RUNNING);
                Map<String, CSVRecord> rows = run.rowsByGroup();
                assertThat(rows).hasSize(40);
                assertThat(rows.values()).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("OK"));
                assertThat(run.waitingInputs()).isEmpty();
                assertThat(logs.text()).contains("intake pauses and resumes by itself").contains("Intake resumed: Z-API and the database answer again");
            } finally {
                assertThat(service.stop()).as("healed stops do not make the service fail").isZero();
            }
            assertThat(db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'INCOMPLETE' AND stop_reason LIKE 'Z-API unreachable%'"))
                    .isEqualTo(1);
            assertThat(db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'COMPLETED'")).isEqualTo(1);
        }
    }

    @Test
    void aCauseThatNeedsAPersonKeepsIntakeStoppedAndSaysWhy() throws Exception {
        zapi.resetAll();
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"unauthorized\"}")));
        BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), "inst-heal", "tok-heal", "ct-heal").with("zapi.intake.probe-interval-ms", "200");
        ServiceRun service = run.startAsService();
        try {
            run.input("groups.txt", InboxBatchTest.ids(5));
            IntakeStatus intake = await().atMost(Duration.ofSeconds(20)).until(() -> intakeOf(service),
                    s -> s != null && s.state() == IntakeStatus.State.STOPPED);
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> service.app().camelContext().getRouteController().getRouteStatus("inbox-files") == ServiceStatus.Stopped);
            assertThat(intake.cause()).startsWith("Client-Token or instance token rejected (HTTP 401");
            // no probe brings it back, even once Z-API answers
            healthyZapi();
            Thread.sleep(1_000);
            assertThat(intake.state()).isEqualTo(IntakeStatus.State.STOPPED);
            assertThat(zapi.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(BASE + "/status")))).isEmpty();
        } finally {
            assertThat(service.stop()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
        }
    }

    private static IntakeStatus intakeOf(ServiceRun service) {
        var context = service.app().camelContext();
        Intake intake = context == null ? null : context.getRegistry().lookupByNameAndType("intake", Intake.class);
        return intake == null ? null : intake.source("inbox").status();
    }
}

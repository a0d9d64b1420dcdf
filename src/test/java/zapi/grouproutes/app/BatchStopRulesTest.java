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
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;

/**
 * Which answers stop a batch and which do not, through the real routes against a scripted Z-API:
 * counters that must not trip on noise, and failures that hit every request.
 */
class BatchStopRulesTest {

    static final String INSTANCE = "inst-rules";
    static final String TOKEN = "TkRules5d8e2a91c";
    static final String CLIENT_TOKEN = "CtRules0b7f3c64e";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final String LINKS = BASE + "/group-invitation-link/.*";
    static final String METADATA = BASE + "/group-invitation-metadata";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private BatchRun batch(int groups) throws IOException {
        return new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).input("groups.txt", InboxBatchTest.ids(groups));
    }

    private static void linksAnswer(String link) {
        zapi.stubFor(post(urlPathMatching(LINKS)).willReturn(okJson("{\"invitationLink\":\"" + link + "\"}")));
    }

    private static void metadataAnswers() {
        zapi.stubFor(get(urlPathEqualTo(METADATA)).willReturn(okJson("{\"subject\":\"S\",\"participants\":[]}")));
    }

    @Test
    void clientTokenHiccupsOfSeveralWorkersAtOnceDoNotStopTheBatch() throws IOException {
        // each group's first call is refused once; four workers meet their hiccup at the same moment
        List<String> groups = InboxBatchTest.ids(8).lines().toList();
        for (String group : groups) {
            zapi.stubFor(post(BASE + "/group-invitation-link/" + group).inScenario(group).whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"your client-token is not configured\"}"))
                    .willSetStateTo("answered"));
            zapi.stubFor(post(BASE + "/group-invitation-link/" + group).inScenario(group).whenScenarioStateIs("answered")
                    .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/" + group + "\"}")));
        }
        metadataAnswers();
        BatchRun run = batch(8).with("zapi.client-token-error-limit", "3")
                .with("zapi.retry.initial-delay-ms", "300").with("zapi.retry.max-delay-ms", "300").run();
        assertThat(run.exitCode()).isZero();
        assertThat(run.reportRows()).hasSize(8).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("OK"));
    }

    @Test
    void aMetadataCallThatIsDownWhileLinksWorkStopsTheBatchAsUnreachable() throws IOException {
        linksAnswer("https://chat.whatsapp.com/AAAAAAAAAAAAAAAAAAAAAA");
        zapi.stubFor(get(urlPathEqualTo(METADATA)).willReturn(aResponse().withStatus(503).withBody("down")));
        try (CapturedLogs logs = new CapturedLogs()) {
            // one worker: each group's link call answers between two metadata failures
            BatchRun run = batch(15).with("zapi.retry.max-redeliveries", "1").with("zapi.outage.groups-in-a-row", "3")
                    .with("zapi.concurrency", "1").run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(logs.text()).contains("stopped: Z-API unreachable: ").contains("group-invitation-metadata");
        }
    }

    @Test
    void aRateLimitWithoutRetryAfterIsNotAnOutage() throws IOException {
        zapi.stubFor(post(urlPathMatching(LINKS)).willReturn(aResponse().withStatus(429).withBody("{\"error\":\"Too many requests\"}")));
        BatchRun run = batch(6).with("zapi.retry.max-redeliveries", "1").with("zapi.outage.groups-in-a-row", "2")
                .with("zapi.concurrency", "2").run();
        assertThat(run.exitCode()).isZero();
        assertThat(run.reportRows()).hasSize(6).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("FAILED");
            assertThat(r.get("error_code")).isEqualTo("429");
        });
    }

    @Test
    void aRedirectStopsTheBatchAndNamesTheBaseUrlButNotWhereItPoints() throws IOException {
        // what an http:// base URL gets: the same path on https://, token included
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(301)
                .withHeader("Location", "https://api.z-api.io" + BASE + "/group-invitation-link/x")
                .withBody("<html><body>Moved to https://api.z-api.io" + BASE + "</body></html>")));
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch(20).run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(logs.text()).contains("stopped: Z-API answered HTTP 301").contains("ZAPI_BASE_URL").contains("https://api.z-api.io")
                    .doesNotContain(TOKEN).doesNotContain("/instances/");
        }
    }

    @Test
    void anHtmlPageWhereJsonBelongsStopsTheBatch() throws IOException {
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html; charset=utf-8")
                .withBody("<!DOCTYPE html><html><head><title>Sign in</title></head><body>Portal</body></html>")));
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch(20).run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(logs.text()).contains("stopped: Z-API answered an HTML page (HTTP 200)").contains("ZAPI_BASE_URL");
        }
    }

    @Test
    void manyGroupsInARowFailingWithTheSameAnswerStopTheBatch() throws IOException {
        zapi.stubFor(post(urlPathMatching(LINKS)).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"You need to be connected to access this route\"}")));
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch(60).with("zapi.failures.same-in-a-row", "5").run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(logs.text()).contains("stopped: 5 groups in a row failed with the same answer (HTTP 400: You need to be connected");
        }
    }

    @Test
    void groupsThatFailEachInTheirOwnWayDoNotStopTheBatch() throws IOException {
        List<String> groups = InboxBatchTest.ids(12).lines().toList();
        for (String group : groups) {
            zapi.stubFor(post(BASE + "/group-invitation-link/" + group)
                    .willReturn(aResponse().withStatus(404).withBody("{\"error\":\"Group " + group + " not found\"}")));
        }
        BatchRun run = batch(12).with("zapi.failures.same-in-a-row", "3").run();
        assertThat(run.exitCode()).isZero();
        assertThat(run.reportRows()).hasSize(12).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("FAILED"));
    }
}

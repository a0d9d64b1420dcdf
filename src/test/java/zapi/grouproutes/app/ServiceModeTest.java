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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;

/** Service mode: the inbox is watched; a systematic error stops the source, not the service. */
class ServiceModeTest {

    static final String BASE = "/instances/inst-svc/token/tok-svc";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void filesDroppedWhileRunningAreEnrichedAndASystematicErrorStopsOnlyTheSource() throws Exception {
        zapi.stubFor(post(urlPathMatching(BASE + "/group-invitation-link/.*"))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/ServiceGroupAAAAAAAAAA\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Svc\",\"participants\":[]}")));
        BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), "inst-svc", "tok-svc", "ct-svc");
        Path inbox = run.inbox();
        Path reports = run.reports();

        try (CapturedLogs logs = new CapturedLogs()) {
            ServiceRun service = run.startAsService();
            try {
                Files.writeString(inbox.resolve("first.txt"), "120363000000000001-group\n120363000000000002-group\n", StandardCharsets.UTF_8);
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.isDirectory(reports) && reportCount(reports) == 2);
                // the file moves to .done when its exchange completes, a moment after its report is published
                await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(inbox.resolve("first.txt")));

                // the credentials are revoked while the service runs
                zapi.resetAll();
                zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"unauthorized\"}")));
                Files.writeString(inbox.resolve("second.txt"), "120363000000000003-group\n", StandardCharsets.UTF_8);
                await().atMost(Duration.ofSeconds(20)).until(
                        () -> service.app().camelContext().getRouteController().getRouteStatus("inbox-files") == ServiceStatus.Stopped);
                assertThat(Files.exists(inbox.resolve("second.txt"))).as("input kept for a re-run").isTrue();
                assertThat(reportCount(reports)).isEqualTo(2);
                assertThat(logs.text()).contains("Batch second.txt stopped: Client-Token or instance token rejected (HTTP 401")
                        .contains("Route inbox-files is stopped until the cause is fixed");
                assertThat(service.exit()).isNotDone();
            } finally {
                assertThat(service.stop()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            }
        }
    }

    private static long reportCount(Path reports) throws java.io.IOException {
        try (var files = Files.list(reports)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".csv")).count();
        }
    }
}

package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;

/**
 * The instance token (URL path) and the Client-Token (header) never reach a log line, an error
 * message in a report, or a file name, even when Z-API echoes them back in its error bodies.
 */
class SecretsStayOutTest {

    static final String INSTANCE = "inst-secrets";
    static final String TOKEN = "InStAnCeToKeN9q8w7e";
    static final String CLIENT_TOKEN = "ClIeNtToKeN3z4x5c";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final String ECHO = "request to " + BASE + " with Client-Token " + CLIENT_TOKEN;

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void errorBodiesThatEchoTheSecretsAreRedactedEverywhere() throws IOException {
        zapi.stubFor(post(BASE + "/group-invitation-link/120363000000000001-group")
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/SecretsGroupAAAAAAAAA1\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata"))
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"" + ECHO + "\"}")));
        zapi.stubFor(post(BASE + "/group-invitation-link/120363000000000002-group")
                .willReturn(aResponse().withStatus(422).withBody("{\"message\":\"" + ECHO + "\"}")));
        zapi.stubFor(post(BASE + "/group-invitation-link/120363000000000003-group")
                .willReturn(okJson("{\"error\":\"" + ECHO + "\"}")));

        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN)
                    .with("zapi.retry.max-redeliveries", "2")
                    .input("groups.txt", "120363000000000001-group\n120363000000000002-group\n120363000000000003-group\n").run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.rowsByGroup().values()).extracting(r -> r.get("status")).containsExactlyInAnyOrder("PARTIAL", "FAILED", "FAILED");
            assertThat(run.rowsByGroup().values()).allSatisfy(r -> assertThat(r.get("error_message")).contains("Client-Token"));
            assertNoSecretIn(logs.text(), dir);
        }
    }

    @Test
    void aSystematicStopNamesTheCauseWithoutTheSecrets() throws IOException {
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(403).withBody("{\"error\":\"" + ECHO + " is not allowed\"}")));
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN)
                    .input("groups.txt", "120363000000000001-group\n120363000000000002-group\n").run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(logs.text()).contains("Batch groups.txt stopped: Client-Token or instance token rejected (HTTP 403");
            assertNoSecretIn(logs.text(), dir);
        }
    }

    @Test
    void anUnreachableApiDoesNotPrintTheUrlWithTheToken() throws IOException {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against("http://127.0.0.1:9", INSTANCE, TOKEN, CLIENT_TOKEN)
                    .with("zapi.retry.max-redeliveries", "1").with("zapi.outage.groups-in-a-row", "2")
                    .input("groups.txt", InboxBatchTest.ids(50)).run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertNoSecretIn(logs.text(), dir);
        }
    }

    private static void assertNoSecretIn(String logs, Path dir) throws IOException {
        assertThat(logs).isNotBlank().doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(file.toString()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
                // byte for byte (ISO-8859-1 maps each byte to one char): reports, and the H2 database file too
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
            }
        }
    }
}

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
import java.util.Map;
import java.util.stream.Stream;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
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
    static final String DB_PASSWORD = "DbPaSsWoRd6t5r4e";
    /** Where the client cuts Z-API's error text. */
    static final int CUT = 300;

    /** An error text whose {@code secret} starts 10 characters before the cut, so the cut goes through it. */
    static String straddlingTheCut(String secret) {
        String before = " echo of " + BASE.substring(0, BASE.length() - TOKEN.length());
        if (!secret.equals(TOKEN)) {
            before = " Client-Token ";
        }
        return "x".repeat(CUT - 10 - before.length()) + before + secret + " and more text after it";
    }

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

    @Test
    void aTokenEchoThatStraddlesTheCutIsRedactedBeforeItIsCut() throws IOException {
        // a systematic stop: its reason reaches the ERROR log and zapi_enrichment_run.stop_reason
        zapi.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(403)
                .withBody("{\"error\":\"" + straddlingTheCut(TOKEN) + "\"}")));
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN)
                    .input("groups.txt", "120363000000000001-group\n").run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(logs.text()).contains("Batch groups.txt stopped: Client-Token or instance token rejected (HTTP 403: xxx")
                    .contains("/token/****");
            assertNoSecretIn(logs.text(), dir);
        }
    }

    @Test
    void aClientTokenEchoThatStraddlesTheCutIsRedactedInTheReport() throws IOException {
        zapi.stubFor(post(BASE + "/group-invitation-link/120363000000000001-group")
                .willReturn(aResponse().withStatus(422).withBody("{\"message\":\"" + straddlingTheCut(CLIENT_TOKEN) + "\"}")));
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN)
                    .input("groups.txt", "120363000000000001-group\n").run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).singleElement().satisfies(row -> assertThat(row.get("error_message")).contains("Client-Token ****"));
            assertNoSecretIn(logs.text(), dir);
        }
    }

    /**
     * What an operator who wants everything at DEBUG does: the root logger and the configured loggers
     * raised, with a database password set. Camel's properties parser logs each value it resolves at
     * DEBUG; none of the secrets may be among them.
     */
    @Test
    void aWholeRunAtDebugLeaksNothing() throws IOException {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Map<String, Level> before = Map.of("", context.getConfiguration().getRootLogger().getLevel(),
                "org.apache.camel", context.getConfiguration().getLoggerConfig("org.apache.camel").getLevel(),
                "zapi.grouproutes", context.getConfiguration().getLoggerConfig("zapi.grouproutes").getLevel());
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN,
                SimulatorOptions.defaults().withLatencyMillis(0).withFailureRate(0.3)).start()) {
            before.keySet().forEach(logger -> Configurator.setLevel(logger, Level.DEBUG));
            try (CapturedLogs logs = new CapturedLogs(Level.DEBUG)) {
                BatchRun run = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN)
                        .with("zapi.db.user", "sa").with("zapi.db.password", DB_PASSWORD)
                        .with("zapi.retry.max-redeliveries", "6")
                        .input("groups.txt", InboxBatchTest.ids(20)).run();
                assertThat(run.exitCode()).isZero();
                assertThat(logs.text()).contains("DEBUG");
                assertNoSecretIn(logs.text(), dir);
                assertThat(logs.text()).doesNotContain(DB_PASSWORD);
            }
        } finally {
            before.forEach(Configurator::setLevel);
        }
    }

    /** The documented switch: ZAPI_LOG_LEVEL=DEBUG shows each call, and still no secret. */
    @Test
    void theLogLevelSwitchShowsEachCallAndNoSecret() throws IOException {
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(0)).start();
             CapturedLogs logs = new CapturedLogs(Level.DEBUG)) {
            BatchRun run = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.log-level", "debug")
                    .with("zapi.db.user", "sa").with("zapi.db.password", DB_PASSWORD)
                    .input("groups.txt", "120363000000000001-group\n").run();
            assertThat(run.exitCode()).isZero();
            assertThat(logs.text()).contains("DEBUG ZapiClient - POST /group-invitation-link/120363000000000001-group -> 200")
                    .contains("DEBUG SendProcessor");
            assertNoSecretIn(logs.text(), dir);
            assertThat(logs.text()).doesNotContain(DB_PASSWORD);
        } finally {
            LogLevelSwitch.RAISED.forEach(logger -> Configurator.setLevel(logger, Level.INFO));
        }
    }

    /** No secret, and no 6-character piece of one (a cut through a secret leaves a prefix). */
    private static void assertNoSecretIn(String logs, Path dir) throws IOException {
        assertThat(logs).isNotBlank();
        assertNoPieceOfASecret("the log", logs);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertNoPieceOfASecret("a file name", file.toString());
                // byte for byte (ISO-8859-1 maps each byte to one char): reports, and the H2 database file too
                assertNoPieceOfASecret(file.toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static void assertNoPieceOfASecret(String where, String text) {
        for (String secret : new String[] {TOKEN, CLIENT_TOKEN}) {
            for (int start = 0; start + 6 <= secret.length(); start++) {
                assertThat(text).as("%s holds a piece of a secret", where).doesNotContain(secret.substring(start, start + 6));
            }
        }
    }
}

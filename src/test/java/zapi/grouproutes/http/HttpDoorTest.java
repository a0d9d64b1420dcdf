package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;

/** Who may come in: starts refused without keys, a per-key rate, a revoked key, TLS. */
class HttpDoorTest {

    static final String KEY_A = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    static final String KEY_B = "ffeeddccbbaa00998877665544332211ffeeddccbbaa00998877665544332211";

    @TempDir
    Path dir;

    private Map<String, String> settings(ZapiSimulator simulator, int port) {
        Map<String, String> settings = new HashMap<>(new BatchRun(dir).against(simulator, "inst-door", "tok-door", "ct-door").settings());
        settings.put("zapi.mode", "service");
        settings.put("zapi.sources", "http");
        settings.put("zapi.sinks", "jdbc");
        settings.put("zapi.observe.enabled", "false");
        settings.put("zapi.http.host", "127.0.0.1");
        settings.put("zapi.http.port", String.valueOf(port));
        return settings;
    }

    @Test
    void aStartWithoutKeysIsRefusedNamingTheSettingAndNoneIsRefusedOffLoopback() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator("inst-door", "tok-door", "ct-door", SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs()) {
            Map<String, String> noKeys = settings(simulator, ApiClient.freePort());
            assertThat(ZapiGroupRoutes.run(noKeys)).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("cannot start").contains("ZAPI_API_KEYS");

            Map<String, String> openToAll = settings(simulator, ApiClient.freePort());
            openToAll.put("zapi.api.auth", "none");
            openToAll.put("zapi.http.host", "0.0.0.0");
            assertThat(ZapiGroupRoutes.run(openToAll)).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("ZAPI_API_AUTH) is none, but the API listens on 0.0.0.0");
        }
    }

    @Test
    void aKeyHasItsOwnRateARevokedKeyIs401AfterARestartAndTlsServesTheApi() throws Exception {
        Path keystore = dir.resolve("api.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "api",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool made a keystore").isTrue();

        try (ZapiSimulator simulator = new ZapiSimulator("inst-door", "tok-door", "ct-door", SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE)) {
            int port = ApiClient.freePort();
            Map<String, String> both = settings(simulator, port);
            both.put("zapi.api.keys", "alpha:" + ApiClient.hashOf(KEY_A) + ",beta:" + ApiClient.hashOf(KEY_B));
            both.put("zapi.api.rate.requests-per-second", "0.2");
            ServiceRun first = ServiceRun.start(both);
            ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> api.get("/api/nothing", KEY_A).statusCode() == 404);
                // a burst of one at 0.2/s: alpha's next request is refused, beta's own budget is untouched
                HttpResponse<String> limited = api.get("/api/nothing", KEY_A);
                HttpApiTest.assertProblem(limited, 429);
                assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 5L));
                assertThat(api.get("/api/nothing", KEY_B).statusCode()).isEqualTo(404);
            } finally {
                first.stop();
            }

            Map<String, String> alphaOnly = settings(simulator, port);
            alphaOnly.put("zapi.api.keys", "alpha:" + ApiClient.hashOf(KEY_A));
            alphaOnly.put("zapi.http.tls.keystore", keystore.toString());
            alphaOnly.put("zapi.http.tls.keystore-password", "changeit");
            ServiceRun second = ServiceRun.start(alphaOnly);
            ApiClient tls = new ApiClient(URI.create("https://127.0.0.1:" + port), HttpClient.newBuilder().sslContext(trusting(keystore)).build());
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> tls.get("/api/nothing", KEY_A).statusCode() == 404);
                HttpApiTest.assertProblem(tls.get("/api/groups/120363000000000001-group", KEY_B), 401);
                HttpApiTest.assertProblem(tls.get("/api/groups/120363000000000001-group", KEY_A), 404);
            } finally {
                second.stop();
            }
            assertThat(logs.text()).contains("HTTP API on https://127.0.0.1:" + port)
                    .doesNotContain(KEY_A).doesNotContain(KEY_B).doesNotContain("changeit");
        }
    }

    /** A client that trusts the test's self-signed certificate, and nothing else. */
    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("api", (X509Certificate) store.getCertificate("api"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}

package zapi.grouproutes.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * kill -9 between the 200 and the re-check: the service (a JVM of its own) answers group notifications, is
 * killed before their coalescing window ends, and a restart on the same database re-checks each notified group
 * exactly once (counted at WireMock) and stores it. PostgreSQL, not H2: embedded H2 writes its commits to disk
 * up to half a second late, so a kill -9 loses its last commits whoever answered what (README, JMS queue).
 */
class WebhookKillAndRestartTest {

    static final int GROUPS = 10;
    static final int NOTES_PER_GROUP = 3;
    /** Long enough that the child is killed before any re-check is due, on a loaded machine too. */
    static final int COALESCE_SECONDS = 30;

    @TempDir
    Path dir;
    WireMockServer zapi;
    TestDatabase database;

    @BeforeEach
    void start() {
        database = TestDatabase.postgres();
        zapi = new WireMockServer(wireMockConfig().dynamicPort());
        zapi.start();
        ZapiWebhookTest.stubZapi(zapi);
    }

    @AfterEach
    void stop() {
        zapi.stop();
        database.close();
    }

    @Test
    void killNineAfterThe200sThenARestartReChecksEachGroupOnce() throws Exception {
        int port = ApiClient.freePort();
        Map<String, String> settings = new BatchRun(dir).against(zapi.baseUrl(), ZapiWebhookTest.INSTANCE, ZapiWebhookTest.TOKEN, ZapiWebhookTest.CLIENT_TOKEN)
                .with(database.settings()).with("zapi.mode", "service").with("zapi.sources", "webhook").with("zapi.sinks", "jdbc")
                .with("zapi.observe.enabled", "false").with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.webhook.secret", ZapiWebhookTest.SECRET).with("zapi.webhook.coalesce", String.valueOf(COALESCE_SECONDS))
                .with("zapi.webhook.poll-delay-ms", "200").with("zapi.request-timeout-ms", "30000").settings();
        ApiClient door = new ApiClient(URI.create("http://127.0.0.1:" + port));
        List<String> groups = IntStream.range(0, GROUPS).mapToObj(i -> String.format("1203630004%08d-group", i)).toList();

        Process child = BatchRun.startProcess(settings, dir.resolve("child"));
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> !child.isAlive()
                            || door.postJson(ZapiWebhookTest.CALLBACK_PATH, ZapiWebhookTest.callback("5544999999999", null)).statusCode() == 200);
            assertThat(child.isAlive()).as("the child is up (see child/child.log)").isTrue();
            long firstAnswer = System.nanoTime();
            for (int note = 0; note < NOTES_PER_GROUP; note++) {
                for (String group : groups) {
                    String body = ZapiWebhookTest.callback(group, "GROUP_PARTICIPANT_ADD");
                    assertThat(door.postJson(ZapiWebhookTest.CALLBACK_PATH, body).statusCode()).as("answer to a notification").isEqualTo(200);
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat((System.nanoTime() - firstAnswer) / 1_000_000).as("ms from the first 200 to the kill").isLessThan(COALESCE_SECONDS * 1000L);
        } finally {
            child.destroyForcibly();
        }
        assertThat(groups).as("re-checked before the kill").allSatisfy(group -> assertThat(WebhookClaimsTest.recheckTimes(zapi, group)).isEmpty());
        assertThat(database.count("SELECT COUNT(*) FROM zapi_webhook_recheck")).as("re-checks pending after the kill").isEqualTo(GROUPS);
        assertThat(database.count("SELECT COALESCE(SUM(notes), 0) FROM zapi_webhook_recheck")).isEqualTo(GROUPS * NOTES_PER_GROUP);

        try (CapturedLogs logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE)) {
            ServiceRun restart = ServiceRun.start(settings);
            try {
                await().atMost(Duration.ofSeconds(COALESCE_SECONDS + 90L)).pollInterval(Duration.ofMillis(250))
                        .until(() -> database.count("SELECT COUNT(*) FROM zapi_webhook_recheck") == 0);
                // a second claim of a settled group would have sent its request by now: one more poll or two to be sure
                Thread.sleep(1000);
            } finally {
                assertThat(restart.stop()).isZero();
            }
            assertThat(groups).as("re-checks per group after the restart")
                    .allSatisfy(group -> assertThat(WebhookClaimsTest.recheckTimes(zapi, group)).hasSize(1));
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group WHERE invitation_link = ?", "https://chat.whatsapp.com/WebhookLinkAAAAAAAAAAA"))
                    .as("groups stored").isEqualTo(GROUPS);
            assertThat(logs.text()).doesNotContain(ZapiWebhookTest.SECRET).doesNotContain(ZapiWebhookTest.TOKEN);
        }
    }
}

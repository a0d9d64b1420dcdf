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

    /** The service's settings: the webhook alone, on PostgreSQL, re-checks coalesced over {@code coalesceSeconds}. */
    private Map<String, String> settings(int port, int coalesceSeconds, int leaseSeconds) {
        return new BatchRun(dir).against(zapi.baseUrl(), ZapiWebhookTest.INSTANCE, ZapiWebhookTest.TOKEN, ZapiWebhookTest.CLIENT_TOKEN)
                .with(database.settings()).with("zapi.mode", "service").with("zapi.sources", "webhook").with("zapi.sinks", "jdbc")
                .with("zapi.observe.enabled", "false").with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.webhook.secret", ZapiWebhookTest.SECRET).with("zapi.webhook.coalesce", String.valueOf(coalesceSeconds))
                .with("zapi.webhook.claim-lease-seconds", String.valueOf(leaseSeconds))
                .with("zapi.webhook.poll-delay-ms", "200").with("zapi.request-timeout-ms", "30000").settings();
    }

    /** A service JVM of its own, once it answers callbacks. */
    private Process child(Map<String, String> settings, ApiClient door) throws Exception {
        Process child = BatchRun.startProcess(settings, dir.resolve("child"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> !child.isAlive()
                        || door.postJson(ZapiWebhookTest.CALLBACK_PATH, ZapiWebhookTest.callback("5544999999999", null)).statusCode() == 200);
        assertThat(child.isAlive()).as("the child is up (see child/child.log)").isTrue();
        return child;
    }

    private static List<String> groups(String prefix) {
        return IntStream.range(0, GROUPS).mapToObj(i -> String.format(prefix + "%08d-group", i)).toList();
    }

    private static void notify(ApiClient door, List<String> groups) throws Exception {
        for (int note = 0; note < NOTES_PER_GROUP; note++) {
            for (String group : groups) {
                String body = ZapiWebhookTest.callback(group, "GROUP_PARTICIPANT_ADD");
                assertThat(door.postJson(ZapiWebhookTest.CALLBACK_PATH, body).statusCode()).as("answer to a notification").isEqualTo(200);
            }
        }
    }

    private static void kill(Process child) throws InterruptedException {
        child.destroyForcibly();
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void killNineAfterThe200sThenARestartReChecksEachGroupOnce() throws Exception {
        int port = ApiClient.freePort();
        Map<String, String> settings = settings(port, COALESCE_SECONDS, 300);
        ApiClient door = new ApiClient(URI.create("http://127.0.0.1:" + port));
        List<String> groups = groups("1203630004");

        Process child = child(settings, door);
        try {
            long firstAnswer = System.nanoTime();
            notify(door, groups);
            kill(child);
            assertThat((System.nanoTime() - firstAnswer) / 1_000_000).as("ms from the first 200 to the kill").isLessThan(COALESCE_SECONDS * 1000L);
        } finally {
            child.destroyForcibly();
        }
        assertThat(groups).as("re-checked before the kill").allSatisfy(group -> assertThat(ZapiWebhookTest.recheckTimes(zapi, group)).isEmpty());
        assertThat(database.count("SELECT COUNT(*) FROM zapi_webhook_recheck")).as("re-checks pending after the kill").isEqualTo(GROUPS);
        assertThat(database.count("SELECT COALESCE(SUM(notes), 0) FROM zapi_webhook_recheck")).isEqualTo(GROUPS * NOTES_PER_GROUP);

        long restarted = restartUntilSettled(settings, groups);
        assertThat(groups).as("re-checks per group").allSatisfy(group -> assertThat(ZapiWebhookTest.recheckTimes(zapi, group)).hasSize(1)
                .allSatisfy(at -> assertThat(at).isGreaterThanOrEqualTo(restarted)));
    }

    @Test
    void killNineWhileTheReChecksAreInFlightThenTheirLeaseExpiresAndTheRestartReChecksThem() throws Exception {
        int port = ApiClient.freePort();
        int leaseSeconds = 5;
        Map<String, String> settings = settings(port, 1, leaseSeconds);
        ApiClient door = new ApiClient(URI.create("http://127.0.0.1:" + port));
        List<String> groups = groups("1203630005");
        // Z-API answers these groups slowly: their re-checks are claimed and in flight when the child dies
        var slow = zapi.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(ZapiWebhookTest.BASE + "/group-invitation-link/1203630005.*"))
                .atPriority(1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{}").withFixedDelay(20_000)));

        Process child = child(settings, door);
        long killedAt;
        long claimed;
        try {
            notify(door, groups);
            // one poll's claims are in flight until Z-API answers: groups due later wait for the next poll, unclaimed
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> groups.stream().anyMatch(g -> !ZapiWebhookTest.recheckTimes(zapi, g).isEmpty()));
            killedAt = System.currentTimeMillis();
            kill(child);
            claimed = database.count("SELECT COUNT(*) FROM zapi_webhook_recheck WHERE claimed_until_ms IS NOT NULL");
        } finally {
            child.destroyForcibly();
        }
        zapi.removeStub(slow);
        assertThat(database.count("SELECT COUNT(*) FROM zapi_webhook_recheck")).as("re-checks pending after the kill").isEqualTo(GROUPS);
        assertThat(database.count("SELECT COUNT(*) FROM zapi_group")).as("groups stored before the kill").isZero();
        assertThat(claimed).as("re-checks claimed by the killed child").isPositive();
        System.out.println("WebhookKillAndRestartTest: killed with " + claimed + " of " + GROUPS + " re-checks claimed and in flight");

        restartUntilSettled(settings, groups);
        // each group once after the kill, once its claim's lease had run out; before it, only those in flight
        assertThat(groups).as("re-checks per group after the kill").allSatisfy(group -> assertThat(ZapiWebhookTest.recheckTimes(zapi, group))
                .filteredOn(at -> at > killedAt).hasSize(1));
    }

    /** Starts the service again on the same database until every re-check has settled; returns when it started (ms). */
    private long restartUntilSettled(Map<String, String> settings, List<String> groups) throws Exception {
        try (CapturedLogs logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE)) {
            long restarted = System.currentTimeMillis();
            ServiceRun restart = ServiceRun.start(settings);
            try {
                await().atMost(Duration.ofSeconds(COALESCE_SECONDS + 90L)).pollInterval(Duration.ofMillis(250))
                        .until(() -> database.count("SELECT COUNT(*) FROM zapi_webhook_recheck") == 0);
                // a second claim of a settled group would have sent its request by now: one more poll or two to be sure
                Thread.sleep(1000);
            } finally {
                assertThat(restart.stop()).isZero();
            }
            for (String group : groups) {
                assertThat(database.row("SELECT invitation_link FROM zapi_group WHERE group_id = ?", group).get("invitation_link"))
                        .as("%s stored", group).isEqualTo("https://chat.whatsapp.com/WebhookLinkAAAAAAAAAAA");
            }
            assertThat(logs.text()).doesNotContain(ZapiWebhookTest.SECRET).doesNotContain(ZapiWebhookTest.TOKEN);
            return restarted;
        }
    }
}

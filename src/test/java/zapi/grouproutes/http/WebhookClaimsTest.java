package zapi.grouproutes.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;
import zapi.grouproutes.webhook.ZapiCallback;
import zapi.grouproutes.webhook.ZapiWebhooks;

/**
 * Two service instances on one PostgreSQL or MariaDB, and a burst of 2,000 callbacks for 50 groups spread
 * over both: every callback is answered 200 and counted into its group's row, and the lease claims of the two
 * instances' polls make each group one re-check per coalescing window, stored once, none lost. Counts only:
 * the burst's speed is printed, never checked (that is bench/'s).
 */
class WebhookClaimsTest {

    static final int GROUPS = 50;
    static final int CALLBACKS = 2_000;
    /** Long enough for the burst to fit in one window on a loaded machine. */
    static final int COALESCE_SECONDS = 15;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void twoInstancesReCheckEachGroupOncePerWindowAfterABurst(String kind) throws Exception {
        WireMockServer zapi = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(40));
        zapi.start();
        ZapiWebhookTest.stubZapi(zapi);
        List<ServiceRun> services = new ArrayList<>();
        TestDatabase db = kind.equals("postgres") ? TestDatabase.postgres() : TestDatabase.mariadb();
        try (CapturedLogs logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE)) {
            List<ApiClient> doors = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                int port = ApiClient.freePort();
                services.add(new BatchRun(dir.resolve(name)).against(zapi.baseUrl(), ZapiWebhookTest.INSTANCE, ZapiWebhookTest.TOKEN,
                        ZapiWebhookTest.CLIENT_TOKEN).with(db.settings()).with("zapi.sources", "inbox").with("zapi.sinks", "jdbc")
                        .with("zapi.observe.enabled", "false").with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                        .with("zapi.webhook.secret", ZapiWebhookTest.SECRET).with("zapi.webhook.coalesce", String.valueOf(COALESCE_SECONDS))
                        .with("zapi.webhook.poll-delay-ms", "100")
                        // a request Z-API answers late on a loaded machine is not sent again: WireMock's count is the re-checks'
                        .with("zapi.request-timeout-ms", "30000").startAsService());
                doors.add(new ApiClient(URI.create("http://127.0.0.1:" + port)));
            }
            // both up: a callback that is not a group notification is answered without touching the database
            for (ApiClient door : doors) {
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> door.postJson(ZapiWebhookTest.CALLBACK_PATH, ZapiWebhookTest.callback("5544999999999", null)).statusCode() == 200);
            }

            List<String> groups = IntStream.range(0, GROUPS).mapToObj(i -> String.format("1203630003%08d-group", i)).toList();
            List<String> notifications = ZapiCallback.GROUP_NOTIFICATIONS.stream().sorted().toList();
            ExecutorService senders = Executors.newFixedThreadPool(16);
            long began = System.nanoTime();
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < CALLBACKS; i++) {
                ApiClient door = doors.get(i % 2);
                String body = ZapiWebhookTest.callback(groups.get((i / 2) % GROUPS), notifications.get(i % notifications.size()));
                answers.add(senders.submit(() -> door.postJson(ZapiWebhookTest.CALLBACK_PATH, body).statusCode()));
            }
            Map<Integer, Long> statuses;
            try {
                List<Integer> got = new ArrayList<>();
                for (Future<Integer> answer : answers) {
                    got.add(answer.get());
                }
                statuses = got.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
            } finally {
                senders.shutdown();
            }
            long burstMillis = (System.nanoTime() - began) / 1_000_000;
            System.out.printf("WebhookClaimsTest %s: %d callbacks for %d groups over 2 instances in %d ms%n", kind, CALLBACKS, GROUPS, burstMillis);
            assertThat(statuses).as("answers to the burst").containsExactly(Map.entry(200, (long) CALLBACKS));
            long recorded = services.stream().mapToLong(s -> webhooks(s).acceptedCount()).sum();
            assertThat(recorded).as("callbacks recorded by the two instances").isEqualTo(CALLBACKS);
            if (burstMillis < COALESCE_SECONDS * 1000L) {
                // still in the window: nothing re-checked yet, and every notification is counted in its group's row
                assertThat(db.count("SELECT COALESCE(SUM(notes), 0) FROM zapi_webhook_recheck")).isEqualTo(CALLBACKS);
                assertThat(db.count("SELECT COUNT(*) FROM zapi_webhook_recheck")).isEqualTo(GROUPS);
            }

            await().atMost(Duration.ofSeconds(COALESCE_SECONDS * 3L)).pollInterval(Duration.ofMillis(200))
                    .until(() -> db.count("SELECT COUNT(*) FROM zapi_webhook_recheck") == 0
                            && services.stream().mapToLong(s -> webhooks(s).recheckedCount()).sum() >= GROUPS);
            // a second claim of a settled group would have sent its request by now; one more poll of each instance to be sure
            Thread.sleep(1000);
            Map<String, List<Long>> rechecks = groups.stream().collect(Collectors.toMap(g -> g, g -> ZapiWebhookTest.recheckTimes(zapi, g)));
            ZapiWebhookTest.assertOnePerWindow(rechecks, COALESCE_SECONDS, burstMillis);
            assertThat(services.stream().mapToLong(s -> webhooks(s).recheckedCount()).sum()).as("re-checks settled")
                    .isEqualTo(rechecks.values().stream().mapToLong(List::size).sum());
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group WHERE invitation_link = ?", "https://chat.whatsapp.com/WebhookLinkAAAAAAAAAAA"))
                    .as("groups stored").isEqualTo(GROUPS);
            System.out.printf("WebhookClaimsTest %s: re-checks by instance a %d, b %d%n", kind, webhooks(services.get(0)).recheckedCount(),
                    webhooks(services.get(1)).recheckedCount());
            for (ServiceRun service : List.copyOf(services)) {
                services.remove(service);
                assertThat(service.stop()).isZero();
            }
            assertThat(logs.text()).doesNotContain(ZapiWebhookTest.SECRET).doesNotContain(ZapiWebhookTest.TOKEN);
        } finally {
            // before the database goes: a poll must not meet a dropped schema
            for (ServiceRun service : services) {
                service.stop();
            }
            zapi.stop();
            db.close();
        }
    }

    static ZapiWebhooks webhooks(ServiceRun service) {
        return service.app().camelContext().getRegistry().lookupByNameAndType("zapiWebhooks", ZapiWebhooks.class);
    }
}

package zapi.grouproutes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * Z-API's group webhooks as a source, through a real HTTP client against the running service, with WireMock
 * as Z-API and PostgreSQL: a group notification is one re-check after its coalescing window, a burst is one
 * re-check per group, everything else is dropped, and the door's errors are problems.
 */
class ZapiWebhookTest {

    static final String SECRET = "wh-3f9a1c7e5b2d4086a1c3e5f7b9d1f3a5c7e9";
    static final String INSTANCE = "inst-webhook";
    static final String TOKEN = "TkN-webhook-5c2e9a";
    static final String CLIENT_TOKEN = "CtK-webhook-8d4b1f";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    /** Where Z-API posts. */
    static final String CALLBACK_PATH = "/webhooks/zapi/" + SECRET;
    /** Long enough for a burst of 500 local callbacks to fit in one window. */
    static final int COALESCE_SECONDS = 4;

    @TempDir
    static Path dir;
    static WireMockServer zapi;
    static TestDatabase database;
    static ServiceRun service;
    static ApiClient client;
    static CapturedLogs logs;

    @BeforeAll
    static void start() throws Exception {
        logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE);
        zapi = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(40));
        zapi.start();
        stubZapi(zapi);
        database = TestDatabase.postgres();
        int port = ApiClient.freePort();
        service = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .with("zapi.sources", "inbox").with("zapi.sinks", "jdbc").with("zapi.observe.enabled", "false")
                .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.webhook.secret", SECRET).with("zapi.webhook.coalesce", String.valueOf(COALESCE_SECONDS))
                .with("zapi.webhook.poll-delay-ms", "200").with("zapi.webhook.public-url", "https://zapi.example.com/base/")
                // a request WireMock answers late on a loaded machine is not sent again: its counts are the service's requests
                .with("zapi.request-timeout-ms", "30000").startAsService();
        client = new ApiClient(URI.create("http://127.0.0.1:" + port));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> post(SECRET, callback("120363000000000099-group", "x")).statusCode() == 200);
    }

    static void stubZapi(WireMockServer zapi) {
        zapi.stubFor(get(BASE + "/status").willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
        zapi.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathMatching(BASE + "/group-invitation-link/.*")).willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/WebhookLinkAAAAAAAAAAA\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson(
                "{\"phone\":\"120363000000000001-group\",\"subject\":\"Team\",\"participants\":[{\"phone\":\"5511999999999\",\"isAdmin\":false,\"isSuperAdmin\":false}]}")));
        zapi.stubFor(put(BASE + "/update-webhook-received").willReturn(okJson("{\"value\":true}")));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            zapi.stop();
            if (database != null) {
                database.close();
            }
            logs.close();
        }
        assertThat(logs.text()).as("the logs").doesNotContain(SECRET).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
    }

    /** A Z-API on-message-received callback, as its documentation shows one. */
    static String callback(String phone, String notification) {
        return "{\"isGroup\":true,\"isNewsletter\":false,\"instanceId\":\"" + INSTANCE + "\",\"messageId\":\"A20DA9C0183A2D35A260F53F5D2B9244\","
                + "\"phone\":\"" + phone + "\",\"connectedPhone\":\"5544999999999\",\"fromMe\":false,\"momment\":1682017970000,\"status\":\"RECEIVED\","
                + "\"chatName\":\"name\",\"senderName\":\"name\",\"participantPhone\":\"5544888888888\",\"photo\":null,\"broadcast\":false,"
                + "\"type\":\"ReceivedCallback\"" + (notification == null ? "" : ",\"notification\":\"" + notification + "\",\"notificationParameters\":[\"5544888888888\"]")
                + "}";
    }

    static HttpResponse<String> post(String secret, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(client.uri("/webhooks/zapi/" + secret)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), null);
    }

    static int rechecks(String group) {
        return zapi.findAll(postRequestedFor(urlPathEqualTo(BASE + "/group-invitation-link/" + group))).size();
    }

    static long pending(String group) throws Exception {
        return database.count("SELECT COUNT(*) FROM zapi_webhook_recheck WHERE group_id = ?", group);
    }

    @Test
    void aGroupNotificationIsRecordedBeforeItsAnswerAndBecomesOneRecheckAfterItsWindow() throws Exception {
        String group = "120363000000000001-group";
        HttpResponse<String> answer = post(SECRET, callback(group, "GROUP_PARTICIPANT_ADD"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(pending(group)).as("recorded before the 200").isEqualTo(1);
        Thread.sleep(COALESCE_SECONDS * 1000L / 2);
        assertThat(rechecks(group)).as("not before the window ends").isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> rechecks(group) == 1 && pending(group) == 0);
        assertThat(database.row("SELECT invitation_link FROM zapi_group WHERE group_id = ?", group).get("invitation_link"))
                .isEqualTo("https://chat.whatsapp.com/WebhookLinkAAAAAAAAAAA");
        Thread.sleep(1500);
        assertThat(rechecks(group)).as("exactly one re-check").isEqualTo(1);
    }

    @Test
    void aBurstOf500CallbacksForThreeGroupsIsOneRecheckPerGroupPerWindow() throws Exception {
        List<String> groups = List.of("120363000000000011-group", "120363000000000012-group", "120363000000000013-group");
        List<String> notifications = List.of("GROUP_PARTICIPANT_ADD", "GROUP_PARTICIPANT_LEAVE", "MEMBERSHIP_APPROVAL_REQUEST", "GROUP_MEMBER_LINK_PROPERTY_UPDATE");
        ExecutorService senders = Executors.newFixedThreadPool(16);
        long began = System.nanoTime();
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String body = callback(groups.get(i % 3), notifications.get(i % notifications.size()));
            answers.add(senders.submit(() -> post(SECRET, body).statusCode()));
        }
        for (Future<Integer> answer : answers) {
            assertThat(answer.get()).isEqualTo(200);
        }
        long burstMillis = (System.nanoTime() - began) / 1_000_000;
        senders.shutdown();
        if (burstMillis < COALESCE_SECONDS * 1000L) {
            for (String group : groups) {
                assertThat(pending(group)).isEqualTo(1);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> groups.stream().allMatch(g -> rechecks(g) >= 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("SELECT COUNT(*) FROM zapi_webhook_recheck WHERE group_id IN (?, ?, ?)",
                groups.get(0), groups.get(1), groups.get(2)) == 0);
        assertOnePerWindow(groups.stream().collect(java.util.stream.Collectors.toMap(g -> g, g -> recheckTimes(zapi, g))), COALESCE_SECONDS, burstMillis);
    }

    /** When Z-API was asked for the group's link, in order: one request a re-check. */
    static List<Long> recheckTimes(WireMockServer zapi, String group) {
        return zapi.findAll(postRequestedFor(urlPathEqualTo(BASE + "/group-invitation-link/" + group))).stream()
                .map(r -> r.getLoggedDate().getTime()).sorted().toList();
    }

    /**
     * One re-check per group per window: each group was re-checked, never twice within one window (two instances'
     * claims, a claim taken twice), and exactly once after a burst that fit in one window. A burst longer than the
     * window may end in more, one per window it spanned, as the notes that came during a re-check are due again.
     */
    static void assertOnePerWindow(java.util.Map<String, List<Long>> recheckTimes, int windowSeconds, long burstMillis) {
        assertThat(recheckTimes).as("re-check times per group after a burst of %d ms (window %d s)", burstMillis, windowSeconds)
                .allSatisfy((group, times) -> {
                    assertThat(times).isNotEmpty();
                    for (int i = 1; i < times.size(); i++) {
                        // WireMock logs arrival times to the millisecond
                        assertThat(times.get(i) - times.get(i - 1)).as("%s: ms between re-checks %d and %d", group, i, i + 1)
                                .isGreaterThanOrEqualTo(windowSeconds * 1000L - 100);
                    }
                    if (burstMillis < windowSeconds * 1000L) {
                        assertThat(times).as("%s: re-checks after a burst within one window", group).hasSize(1);
                    }
                });
    }

    @Test
    void whatIsNotAGroupNotificationIsAnswered200AndDropped() throws Exception {
        String group = "120363000000000021-group";
        List<String> others = List.of(
                callback(group, null), // an ordinary message in the group
                callback(group, "CALL_VOICE"),
                callback("5544999999999", "GROUP_PARTICIPANT_ADD").replace("\"isGroup\":true", "\"isGroup\":false"),
                "{\"type\":\"MessageStatusCallback\",\"status\":\"READ\",\"phone\":\"" + group + "\",\"isGroup\":true}",
                callback("not-a-group", "GROUP_PARTICIPANT_ADD"));
        for (String body : others) {
            HttpResponse<String> answer = post(SECRET, body);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("dropped");
        }
        Thread.sleep(COALESCE_SECONDS * 1000L + 1500);
        assertThat(pending(group)).isZero();
        assertThat(rechecks(group)).isZero();
    }

    @Test
    void aWrongSecretIs404LikeAnUnknownPathAndOnlyPostIsTaken() throws Exception {
        for (String wrong : List.of(SECRET.substring(1), SECRET + "x", "short", SECRET.toUpperCase())) {
            HttpResponse<String> answer = post(wrong, callback("120363000000000031-group", "GROUP_CREATE"));
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
            assertThat(answer.body()).doesNotContain(wrong);
        }
        assertThat(pending("120363000000000031-group")).isZero();
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(client.uri("/webhooks/zapi/" + SECRET)).GET(), null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(client.get("/api/groups/120363000000000031-group", null).statusCode()).as("the API is off here").isEqualTo(404);
    }

    @Test
    void malformedJsonIs400AndABodyOver64KbIs413AndNeitherReachesZapi() throws Exception {
        String group = "120363000000000041-group";
        HttpResponse<String> bad = post(SECRET, "{\"isGroup\":true,\"phone\":\"" + group + "\",");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        String big = callback(group, "GROUP_CREATE").replace("\"chatName\":\"name\"", "\"chatName\":\"" + "x".repeat(70_000) + "\"");
        assertThat(post(SECRET, big).statusCode()).as("declared length").isEqualTo(413);
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(client.uri("/webhooks/zapi/" + SECRET)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))), null);
        assertThat(chunked.statusCode()).as("chunked").isEqualTo(413);
        assertThat(chunked.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        Thread.sleep(COALESCE_SECONDS * 1000L + 1500);
        assertThat(pending(group)).isZero();
        assertThat(rechecks(group)).isZero();
    }

    @Test
    void theServiceRegistersItsCallbackWithZapiOnceWithItsClientTokenAndSaysSoWithoutTheSecret() {
        await().atMost(Duration.ofSeconds(20)).until(() -> !zapi.findAll(putRequestedFor(urlPathEqualTo(BASE + "/update-webhook-received"))).isEmpty());
        zapi.verify(1, putRequestedFor(urlPathEqualTo(BASE + "/update-webhook-received")).withHeader("Client-Token", equalTo(CLIENT_TOKEN))
                .withRequestBody(equalToJson("{\"value\":\"https://zapi.example.com/base/webhooks/zapi/" + SECRET + "\"}")));
        await().atMost(Duration.ofSeconds(5)).until(() -> logs.text().contains("Webhook registered with Z-API"));
        assertThat(logs.text()).contains("https://zapi.example.com/base/webhooks/zapi/<secret>").doesNotContain(SECRET);
    }
}

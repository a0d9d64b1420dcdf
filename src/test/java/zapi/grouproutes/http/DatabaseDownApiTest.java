package zapi.grouproutes.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TcpProxy;
import zapi.grouproutes.support.TestDatabase;

/**
 * PostgreSQL goes away while the API and the webhook run (the service reaches it through a relay the test
 * cuts): a read is 503 with Retry-After and the cause, not 500; a Z-API callback is 503 too, never a 200 for
 * a notification that was not recorded, so Z-API posts it again; once the database is back both answer again.
 */
class DatabaseDownApiTest {

    static final String KEY = "0d1c2b3a49586776a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e";
    static final String GROUP = "120363000000000301-group";
    static final String LATE = "120363000000000302-group";

    @TempDir
    Path dir;
    WireMockServer zapi;
    TestDatabase database;
    TcpProxy relay;
    ServiceRun service;
    CapturedLogs logs;

    @BeforeEach
    void start() throws Exception {
        logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE);
        database = TestDatabase.postgres();
        relay = new TcpProxy("127.0.0.1", 5432);
        zapi = new WireMockServer(wireMockConfig().dynamicPort());
        zapi.start();
        ZapiWebhookTest.stubZapi(zapi);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            zapi.stop();
            relay.close();
            database.close();
            logs.close();
        }
        assertThat(logs.text()).as("the logs").doesNotContain(ZapiWebhookTest.SECRET).doesNotContain(KEY).doesNotContain(ZapiWebhookTest.TOKEN);
    }

    @Test
    void aReadAndACallbackAre503WhileTheDatabaseIsAwayAndAnswerAgainOnceItIsBack() throws Exception {
        int port = ApiClient.freePort();
        service = new BatchRun(dir).against(zapi.baseUrl(), ZapiWebhookTest.INSTANCE, ZapiWebhookTest.TOKEN, ZapiWebhookTest.CLIENT_TOKEN)
                .with("zapi.sources", "http").with("zapi.sinks", "jdbc").with("zapi.observe.enabled", "false")
                .with("zapi.db.url", database.url().replace(":5432/", ":" + relay.port() + "/")).with("zapi.db.user", database.user())
                .with("zapi.db.connect-timeout-ms", "1000")
                .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.api.keys", "bus:" + ApiClient.hashOf(KEY)).with("zapi.api.rate.requests-per-second", "1000")
                .with("zapi.webhook.secret", ZapiWebhookTest.SECRET).with("zapi.webhook.coalesce", "1").with("zapi.webhook.poll-delay-ms", "200")
                .startAsService();
        ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> callback(api, GROUP).statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/groups/" + GROUP, KEY).statusCode() == 200);

        relay.cut();
        try {
            HttpResponse<String> read = api.get("/api/groups/" + GROUP, KEY);
            HttpResponseAssert.problem(read, 503, "database");
            assertThat(read.headers().firstValue("Retry-After")).as("Retry-After of the read").isPresent();
            HttpResponse<String> links = api.get("/api/groups/" + GROUP + "/links", KEY);
            HttpResponseAssert.problem(links, 503, "database");

            HttpResponse<String> notRecorded = callback(api, LATE);
            HttpResponseAssert.problem(notRecorded, 503, "database");
            assertThat(notRecorded.headers().firstValue("Retry-After")).as("Retry-After of the callback").isPresent();
        } finally {
            relay.restore();
        }
        assertThat(database.count("SELECT COUNT(*) FROM zapi_webhook_recheck WHERE group_id = ?", LATE)).as("nothing recorded for the 503").isZero();

        // Z-API posts the refused callback again: now it is recorded, and re-checked
        await().atMost(Duration.ofSeconds(60)).until(() -> callback(api, LATE).statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/groups/" + LATE, KEY).statusCode() == 200);
        assertThat(api.get("/api/groups/" + GROUP, KEY).statusCode()).isEqualTo(200);
        assertThat(logs.text()).contains("A Z-API callback could not be recorded, the database cannot be reached");
    }

    static HttpResponse<String> callback(ApiClient api, String group) throws Exception {
        return api.postJson(ZapiWebhookTest.CALLBACK_PATH, ZapiWebhookTest.callback(group, "GROUP_PARTICIPANT_ADD"));
    }
}

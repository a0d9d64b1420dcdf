package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;

/**
 * docs/http-api.md's webhook demo: demo mode with the webhook on, as the page starts it. The simulator takes
 * the registration, posts a GROUP_PARTICIPANT_ADD for the first sample group to the service's webhook, the log
 * shows the join and, one coalescing window later, its re-check, and the API reads the group.
 */
class DemoWebhookTest {

    static final String GROUP = "120363019502650977-group";

    @TempDir
    Path dir;

    @Test
    void theSimulatorPostsAJoinAndTheLogShowsItsReCheck() throws Exception {
        int port = ApiClient.freePort();
        try (CapturedLogs logs = new CapturedLogs()) {
            ServiceRun service = new BatchRun(dir).with("zapi.demo", "true").with("zapi.demo.dir", dir.resolve("demo").toString())
                    .with("zapi.sources", "http").with("zapi.sinks", "jdbc").with("zapi.observe.enabled", "false").with("zapi.api.auth", "none")
                    .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                    .with("zapi.webhook.secret", ZapiWebhookTest.SECRET).with("zapi.webhook.coalesce", "2")
                    .with("zapi.webhook.public-url", "https://demo.example.com").startAsService();
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> logs.text().contains("Webhook re-check of group " + GROUP + " done"));
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
                HttpResponse<String> stored = api.get("/api/groups/" + GROUP, null);
                assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
                assertThat(ApiClient.json(stored).get("invitationLink").asText()).startsWith("https://chat.whatsapp.com/");
            } finally {
                assertThat(service.stop()).isZero();
            }
            String text = logs.text();
            assertThat(text).contains("Webhook registered with Z-API").contains("https://demo.example.com/webhooks/zapi/<secret>")
                    .contains("DEMO MODE: the simulator posted a GROUP_PARTICIPANT_ADD callback for group " + GROUP).contains("answered 200")
                    .doesNotContain(ZapiWebhookTest.SECRET);
            assertThat(text.indexOf("DEMO MODE: the simulator posted")).as("the join, then its re-check")
                    .isLessThan(text.indexOf("Webhook re-check of group " + GROUP + " done"));
        }
    }
}

package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;

/**
 * Starts the webhook source cannot be trusted in are refused before anything listens: a short secret, a
 * public URL that is not https, no database to record callbacks in, batch mode. Each is one ERROR line
 * naming the setting, exit code 1, and neither the secret nor the credentials in anything logged.
 */
class WebhookRefusalsTest {

    static final String SHORT_SECRET = "Sh0rtWebhookSecret-29chars-xx";
    static final String TOKEN = "TkN-refusals-4e8b1c";
    static final String CLIENT_TOKEN = "CtK-refusals-9a7d3f";

    @TempDir
    Path dir;

    /** A service start that would succeed but for the webhook's settings. */
    private Map<String, String> service() throws Exception {
        Map<String, String> settings = new HashMap<>(new BatchRun(dir).against("http://127.0.0.1:9", "inst-refusals", TOKEN, CLIENT_TOKEN).settings());
        settings.put("zapi.mode", "service");
        settings.put("zapi.sources", "inbox");
        settings.put("zapi.sinks", "jdbc");
        settings.put("zapi.observe.enabled", "false");
        settings.put("zapi.http.host", "127.0.0.1");
        settings.put("zapi.http.port", String.valueOf(ApiClient.freePort()));
        settings.put("zapi.webhook.secret", ZapiWebhookTest.SECRET);
        return settings;
    }

    /** The start's ERROR lines; asserts the exit code and that no secret was logged. */
    private List<String> refused(Map<String, String> settings) throws Exception {
        try (CapturedLogs logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE)) {
            assertThat(ZapiGroupRoutes.run(settings)).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).doesNotContain(ZapiWebhookTest.SECRET).doesNotContain(SHORT_SECRET).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
            return logs.text().lines().filter(line -> line.startsWith("ERROR")).toList();
        }
    }

    @Test
    void aSecretUnder32CharactersIsRefusedNamingItWithoutItsValue() throws Exception {
        Map<String, String> settings = service();
        settings.put("zapi.webhook.secret", SHORT_SECRET);
        assertThat(refused(settings)).singleElement().asString().contains("ZAPI_WEBHOOK_SECRET").contains("32");
    }

    @Test
    void aPublicUrlThatIsNotHttpsIsRefusedNamingIt() throws Exception {
        Map<String, String> settings = service();
        settings.put("zapi.webhook.public-url", "http://zapi.example.com/base");
        assertThat(refused(settings)).singleElement().asString().contains("ZAPI_WEBHOOK_PUBLIC_URL").contains("https");
    }

    @Test
    void aWebhookWithoutTheJdbcSinkIsRefusedNamingIt() throws Exception {
        Map<String, String> settings = service();
        settings.put("zapi.sinks", "topic");
        settings.put("zapi.kafka.brokers", "127.0.0.1:9");
        assertThat(refused(settings)).singleElement().asString().contains("ZAPI_WEBHOOK_SECRET").contains("jdbc").contains("ZAPI_SINKS");
    }

    @Test
    void aWebhookOutsideServiceModeIsRefusedNamingIt() throws Exception {
        Map<String, String> settings = service();
        settings.put("zapi.mode", "batch");
        assertThat(refused(settings)).singleElement().asString().contains("ZAPI_WEBHOOK_SECRET").contains("ZAPI_MODE=service");
    }
}

package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.SettingSources;
import zapi.grouproutes.SettingsCheck;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;

/**
 * Every setting of config/application.properties, given a malformed value, stops the start with an ERROR
 * line that names it (its key or its environment variable), before Camel starts.
 */
class SettingsCheckTest {

    @TempDir
    Path dir;

    /** Keys whose every value is valid, and why. */
    static final Map<String, String> FREE = Map.of(
            "camel.main.name", "any text names the Camel context (and the Quartz cluster)",
            "zapi.db.user", "any text is a database user name",
            "zapi.db.password", "any text is a password",
            "zapi.jms.user", "any text is a broker user name",
            "zapi.jms.password", "any text is a password",
            "zapi.http.tls.keystore-password", "any text is a password");

    /** Malformed for every type: spaces (names, numbers, URLs, flags) and a NUL character (paths). */
    static final String MALFORMED = "not valid \u0000 ";

    static Properties shipped() throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("config", "application.properties"))) {
            file.load(reader);
        }
        return file;
    }

    /** The first ERROR line of a start with these settings, and the exit code. */
    String firstError(Map<String, String> settings) throws Exception {
        // a run that would start but for the one setting: credentials, and a batch over an empty inbox of its own
        Map<String, String> run = new HashMap<>(new BatchRun(dir).against("http://127.0.0.1:9", "inst-check", "TkCheck7a1b", "CtCheck9z8y")
                .settings());
        run.putAll(settings);
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(ZapiGroupRoutes.run(run)).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            return logs.text().lines().filter(line -> line.startsWith("ERROR")).findFirst().orElse("(no ERROR line)");
        }
    }

    @Test
    void everyKeyWithAMalformedValueIsNamedInTheFirstErrorLine() throws Exception {
        List<String> unnamed = new ArrayList<>();
        long started = System.nanoTime();
        int walked = 0;
        for (String key : shipped().stringPropertyNames().stream().sorted().toList()) {
            if (FREE.containsKey(key)) {
                continue;
            }
            walked++;
            // each its own: a malformed token is masked in the log from then on, as every token is
            String error = firstError(Map.of(key, MALFORMED + key));
            if (!error.contains(key) && !error.contains(SettingSources.environmentVariable(key))) {
                unnamed.add(key + " -> " + error);
            }
        }
        System.out.printf("SettingsCheckTest: %d keys refused in %d ms%n", walked, (System.nanoTime() - started) / 1_000_000);
        assertThat(unnamed).as("malformed settings whose first ERROR line does not name them").isEmpty();
    }

    @Test
    void theShippedValuesPassAndEveryRuleIsAShippedKey() throws IOException {
        Properties file = shipped();
        assertThatCode(() -> SettingsCheck.check(file::getProperty)).doesNotThrowAnyException();
        assertThat(file.stringPropertyNames()).containsAll(SettingsCheck.RULES.keySet());
        assertThat(SettingsCheck.RULES.keySet()).doesNotContainAnyElementsOf(FREE.keySet());
    }

    @Test
    void aBaseUrlThatIsNoUrlIsNamedWithAnExample() throws Exception {
        assertThat(firstError(Map.of("zapi.base-url", "not a url"))).contains("zapi.base-url (ZAPI_BASE_URL) is 'not a url'")
                .contains("e.g. https://api.z-api.io");
        assertThat(firstError(Map.of("zapi.base-url", "https://"))).contains("ZAPI_BASE_URL");
        assertThat(firstError(Map.of("zapi.base-url", "http://api.z-api.io:port"))).contains("ZAPI_BASE_URL");
        assertThat(firstError(Map.of("zapi.token", "a token/with a slash"))).contains("zapi.token (ZAPI_TOKEN) is malformed")
                .doesNotContain("slash");
    }

    /** Issue 18's settings: retry forever, a topic that feeds itself, a multiplier that is no number. */
    @Test
    void settingsThatWouldLoopOrFailDeepAreRefusedByName() throws Exception {
        assertThat(firstError(Map.of("zapi.topic.retry.max-redeliveries", "-1")))
                .contains("zapi.topic.retry.max-redeliveries (ZAPI_TOPIC_RETRY_MAX_REDELIVERIES) is '-1': a whole number, 0 or more");
        assertThat(firstError(Map.of("zapi.db.readings-keep-days", "-1")))
                .contains("zapi.db.readings-keep-days (ZAPI_DB_READINGS_KEEP_DAYS) is '-1'");
        assertThat(firstError(Map.of("zapi.db.retry.multiplier", "two")))
                .contains("zapi.db.retry.multiplier (ZAPI_DB_RETRY_MULTIPLIER) is 'two'").doesNotContain("NumberFormatException");
        Map<String, String> kafka = new HashMap<>(Map.of("zapi.mode", "service", "zapi.sources", "kafka", "zapi.sinks", "jdbc,topic",
                "zapi.kafka.topic", "ids"));
        kafka.put("zapi.kafka.rejected-topic", "ids");
        assertThat(firstError(kafka)).contains("zapi.kafka.rejected-topic (ZAPI_KAFKA_REJECTED_TOPIC) is 'ids', the topic the kafka source reads");
        kafka.put("zapi.kafka.rejected-topic", "ids.rejected");
        kafka.put("zapi.topic", "ids");
        assertThat(firstError(kafka)).contains("zapi.topic (ZAPI_TOPIC) is 'ids', the topic the kafka source reads");
    }
}

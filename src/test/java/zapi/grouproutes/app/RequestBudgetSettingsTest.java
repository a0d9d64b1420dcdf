package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import zapi.grouproutes.SettingSources;
import zapi.grouproutes.Settings;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;

/** The retry, rate and worker settings, as the routes read them: refused when Camel would misread them or auto cannot work, fractional rates allowed. */
class RequestBudgetSettingsTest {

    static final String INSTANCE = "inst-budget";
    static final String TOKEN = "TkBudget71c0e9d2";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final String GROUP = "120363000000000001-group";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private BatchRun batch() throws IOException {
        zapi.stubFor(post(BASE + "/group-invitation-link/" + GROUP).willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/AAAA\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"S\"}")));
        return new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, "").input("groups.txt", GROUP + "\n");
    }

    /** Camel reads -1 as "retry forever": a typo would turn one 503 into a batch that never ends. */
    @ParameterizedTest
    @ValueSource(strings = {"zapi.retry.max-redeliveries", "zapi.db.retry.max-redeliveries"})
    void aNegativeRetryCountIsRefusedAtStartup(String key) throws IOException {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch().with(key, "-1").run();
            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("cannot start: " + key + " (" + SettingSources.environmentVariable(key)
                    + ") is '-1': a whole number, 0 or more");
            assertThat(zapi.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void aRateBelowOnePerSecondIsAllowedAndKept() throws IOException {
        String second = "120363000000000002-group";
        zapi.stubFor(post(BASE + "/group-invitation-link/" + second).willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/BBBB\"}")));
        BatchRun run = batch().with("zapi.rate.requests-per-second", "0.5").with("zapi.concurrency", "1")
                .input("groups.txt", GROUP + "\n" + second + "\n").run();
        assertThat(run.exitCode()).isZero();
        List<Long> calls = zapi.getAllServeEvents().stream().map(e -> e.getRequest().getLoggedDate().getTime())
                .sorted(Comparator.naturalOrder()).toList();
        assertThat(calls).hasSize(4);
        // one request per 2 s. The first call's arrival is late by the client's first connection, so the
        // gaps are measured from the second call on
        assertThat(Duration.ofMillis(calls.get(2) - calls.get(1))).isGreaterThan(Duration.ofMillis(1900));
        assertThat(Duration.ofMillis(calls.get(3) - calls.get(2))).isGreaterThan(Duration.ofMillis(1900));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2", "fast"})
    void aRateThatIsNotAPositiveNumberIsRefused(String rate) throws IOException {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch().with("zapi.rate.requests-per-second", rate).run();
            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("cannot start: zapi.rate.requests-per-second");
        }
    }

    /** auto's bounds, and the workers' setting beside them: each wrong value names its key and stops the start. */
    @ParameterizedTest
    @CsvSource({"zapi.rate.max, 0", "zapi.rate.max, lots", "zapi.rate.initial, -1", "zapi.rate.initial, 300",
            "zapi.concurrency, 0", "zapi.concurrency, many", "zapi.concurrency.max, 2"})
    void autoSettingsThatCannotWorkAreRefused(String key, String value) throws IOException {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch().with("zapi.rate.requests-per-second", "auto").with("zapi.concurrency", "auto").with(key, value).run();
            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("cannot start: " + key);
            assertThat(zapi.getAllServeEvents()).isEmpty();
        }
    }

    /** zapi.rate.scope: a wrong word names the key; cluster on H2 (one process's file) says why it cannot be shared. */
    @ParameterizedTest
    @CsvSource({"clustr, zapi.rate.scope (ZAPI_RATE_SCOPE) is 'clustr': one of instance, cluster", "cluster, zapi.rate.scope=cluster needs a database that every instance shares"})
    void aScopeThatCannotWorkIsRefused(String scope, String message) throws IOException {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch().with("zapi.rate.scope", scope).run();
            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("cannot start: " + message);
            assertThat(zapi.getAllServeEvents()).isEmpty();
        }
    }

    /** Empty: shared on the databases instances can share, this process's own on H2; a word wins over the database. */
    @ParameterizedTest
    @CsvSource(value = {"'', jdbc:h2:file:./data/zapi-groups, false", "'', jdbc:postgresql://db:5432/zapi, true", "'', jdbc:mariadb://db:3306/zapi, true",
            "instance, jdbc:postgresql://db:5432/zapi, false", "CLUSTER, jdbc:mariadb://db:3306/zapi, true", "' cluster ', jdbc:postgresql://db/zapi, true"})
    void theScopeFollowsTheDatabaseUnlessSet(String scope, String url, boolean cluster) throws IOException {
        Properties values = new Properties();
        values.setProperty("zapi.rate.scope", scope);
        values.setProperty("zapi.db.url", url);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(values);
            assertThat(RequestBudgetSettings.cluster(new Settings(context.getPropertiesComponent()))).isEqualTo(cluster);
        }
    }

    /** The default scope with the default database (H2): this process's budget, as before the setting existed. */
    @Test
    void onH2TheBudgetIsThisProcesssOwn() throws IOException {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch().with("zapi.rate.requests-per-second", "50").run();
            assertThat(run.exitCode()).isZero();
            assertThat(logs.text()).contains("50.0 requests/s").doesNotContain("shared by the instances");
        }
    }

    @Test
    void aRateIsReadAsANumberWithOrWithoutAFraction() {
        assertThat(RequestBudgetSettings.requestsPerSecond(RequestBudgetSettings.RATE, "5")).isEqualTo(5.0);
        assertThat(RequestBudgetSettings.requestsPerSecond(RequestBudgetSettings.RATE, " 0.5 ")).isEqualTo(0.5);
    }
}

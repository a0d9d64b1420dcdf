package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.EmbeddedArtemis;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * More workers than pooled connections to a slow Z-API: a worker that finds no free connection in time
 * has a transient failure that says so, retried like any other, never a false interrupt that skips every
 * error handler (before: the file rolled back in silence, its run row stayed RUNNING, and its batch stayed
 * in progress, logging progress after it had ended).
 */
class ConnectionPoolWaitTest {

    static final String INSTANCE = "inst-pool";
    static final String TOKEN = "TkN-pool-4b1e-secret";
    static final String CLIENT_TOKEN = "CtK-pool-9c2d-secret";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void aWorkerThatFindsNoFreeConnectionHasATransientFailureThatSaysSo() throws Exception {
        zapi.stubFor(get(BASE + "/status").willReturn(okJson("{\"connected\":true}")));
        zapi.stubFor(post(urlPathMatching(BASE + "/group-invitation-link/.*"))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv\"}").withFixedDelay(700)));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata"))
                .willReturn(okJson("{\"subject\":\"Pool\",\"participants\":[]}").withFixedDelay(700)));
        try (TestDatabase db = TestDatabase.h2(dir.resolve("db")); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).with(db.settings())
                    .with("zapi.http.connections", "1").with("zapi.concurrency", "8").with("zapi.request-timeout-ms", "1000")
                    .with("zapi.retry.max-redeliveries", "1").with("zapi.progress-interval", "200ms");
            ServiceRun service = run.startAsService();
            try {
                run.input("groups.txt", InboxBatchTest.ids(16));
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> db.count("SELECT COUNT(*) FROM zapi_enrichment_run") > 0
                        && db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'RUNNING'") == 0);
                Batches batches = service.app().camelContext().getRegistry().lookupByNameAndType("batches", Batches.class);
                assertThat(batches.inProgress()).as("batches in progress after the batch ended").isEmpty();
                List<String> ended = logs.text().lines().filter(l -> l.contains("Batch groups.txt done") || l.contains("Batch groups.txt stopped")
                        || l.contains("Batch groups.txt abandoned") || l.contains("Batch groups.txt interrupted")).toList();
                assertThat(ended).as("the batch ends with a line that says how").hasSize(1);
                // the pool's cause, not an interrupt, in the rows of the groups that ran out of retries
                assertThat(db.count("SELECT COUNT(*) FROM zapi_group WHERE last_error_message LIKE '%no free connection to Z-API within 1000 ms%'"))
                        .as("groups that ran out of retries waiting for a connection").isPositive();
                assertThat(logs.text()).doesNotContain("interrupted while waiting for Z-API").doesNotContain("Rollback file strategy")
                        .doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
                // no progress line once the batch has ended: two more intervals pass without one
                int linesAtTheEnd = progressLines(logs);
                Thread.sleep(600);
                assertThat(progressLines(logs)).isEqualTo(linesAtTheEnd);
            } finally {
                service.stop();
            }
        }
    }

    @Test
    void thePoolHasAConnectionForEveryThreadThatCallsZapiJmsConsumersIncluded() throws Exception {
        try (TestDatabase db = TestDatabase.h2(dir.resolve("db")); EmbeddedArtemis broker = EmbeddedArtemis.start(dir.resolve("broker"))) {
            BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).with(db.settings())
                    .with("zapi.sources", "inbox,jms").with("zapi.sinks", "jdbc").with("zapi.concurrency", "4")
                    .with("zapi.jms.url", broker.url()).with("zapi.jms.queue", "zapi.pool.groups").with("zapi.jms.concurrent-consumers", "6");
            ServiceRun service = run.startAsService();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> service.exit().isDone() || service.app().camelContext() != null && service.app().camelContext().isStarted());
                assertThat(service.exit()).as("the service runs").isNotDone();
                // the pool of routes/enrichment/zapi-request.camel.yaml: 4 workers, 6 JMS consumers (before: left out, so a
                // slow Z-API emptied the pool in a default setup), a status probe for each of the 2 sources
                assertThat(service.app().camelContext().resolvePropertyPlaceholders("{{zapi.http.connections}}")).isEqualTo(String.valueOf(4 + 6 + 2));
            } finally {
                service.stop();
            }
        }
    }

    private static int progressLines(CapturedLogs logs) {
        return (int) logs.text().lines().filter(l -> l.contains("Batch groups.txt progress")).count();
    }
}

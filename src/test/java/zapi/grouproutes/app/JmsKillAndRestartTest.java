package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.EmbeddedArtemis;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * kill -9 of the application (a process of its own) while it works through a queue, then a restart: the
 * messages it had taken but not finished went back to the broker, so every message ends as its row and
 * none is lost. A source that acknowledged before its sinks had written would lose the ones in flight.
 * PostgreSQL, not H2: embedded H2 writes its commits to disk up to half a second late, so a kill -9 loses
 * its last commits whoever acknowledged what (see the README, Input: a JMS queue).
 */
class JmsKillAndRestartTest {

    static final String INSTANCE = "inst-jms-kill";
    static final String TOKEN = "KiLlJmStOkEn2b8n";
    static final String CLIENT_TOKEN = "KiLlJmScLiEnT6m1";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final String QUEUE = "zapi.kill";
    static final int MESSAGES = 60;

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void killNineMidQueueThenARestartLosesNothing() throws Exception {
        // slow answers, so that several messages are in flight when the process dies
        zapi.stubFor(post(urlPathMatching(BASE + "/group-invitation-link/.*"))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/KillKillKillKill000000\"}").withFixedDelay(150)));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Kill\",\"participants\":[]}")));
        try (EmbeddedArtemis broker = EmbeddedArtemis.start(dir.resolve("broker")); TestDatabase db = TestDatabase.postgres()) {
            broker.createQueue(QUEUE);
            Map<String, String> settings = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.mode", "service")
                    .with("zapi.sources", "jms").with("zapi.sinks", "jdbc").with("zapi.db.url", db.url()).with("zapi.db.user", db.user()).with("zapi.jms.url", broker.url())
                    .with("zapi.jms.queue", QUEUE).settings();
            List<String> ids = new ArrayList<>();
            try (Connection c = broker.connect(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = s.createProducer(s.createQueue(QUEUE))) {
                for (int i = 0; i < MESSAGES; i++) {
                    ids.add(String.format("1203630196%08d-group", i));
                    producer.send(s.createTextMessage(ids.get(i)));
                }
            }

            Process child = BatchRun.startProcess(settings, dir);
            await().atMost(Duration.ofSeconds(30)).until(() -> linkCalls() >= MESSAGES / 3 || !child.isAlive());
            assertThat(child.isAlive()).as("the child was still working when killed (see child.log)").isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            // every message has its row or is back on the queue: none was acknowledged before its row was committed.
            // A few may have both (the row committed, the kill before the acknowledgement): they come again,
            // and the row is written again (at least once)
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messageCount(QUEUE) + rows(db) >= MESSAGES);
            long written = rows(db);
            long back = broker.messageCount(QUEUE);
            assertThat(written).as("rows before the kill").isLessThan(MESSAGES);
            assertThat(back).as("messages back on the queue").isLessThanOrEqualTo(MESSAGES - written + 4);
            System.out.println("JMS kill -9: " + written + " rows written, " + back + " messages back on the queue");
            ServiceRun restart = ServiceRun.start(settings);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> rows(db) == MESSAGES
                        && broker.messageCount(QUEUE) == 0);
            } finally {
                assertThat(restart.stop()).isZero();
            }
            assertThat(db.rows("SELECT group_id, last_status FROM zapi_group")).allSatisfy(r -> assertThat(r.get("last_status")).isEqualTo("OK"))
                    .extracting(r -> r.get("group_id")).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(broker.drain(QUEUE + ".DLQ", 200)).isEmpty();
        }
    }

    private static long rows(TestDatabase db) throws Exception {
        return db.count("SELECT COUNT(*) FROM zapi_group");
    }

    private static long linkCalls() {
        return zapi.findAll(postRequestedFor(urlPathMatching(BASE + "/group-invitation-link/.*"))).size();
    }

    /** The application's main class in a JVM of its own, with these settings as system properties. */
}

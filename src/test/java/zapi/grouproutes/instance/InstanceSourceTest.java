package zapi.grouproutes.instance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.TestDatabase;

/**
 * ZAPI_MODE=batch ZAPI_SOURCES=instance: one batch of every group the instance is in, then exit. Against the
 * simulator for the whole run, against WireMock for the protocol of GET /groups as Z-API documents it.
 */
class InstanceSourceTest {

    static final String BASE = "/instances/inst-src/token/tok-src";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private BatchRun run(String baseUrl, TestDatabase db) {
        return new BatchRun(dir.resolve("run-" + System.nanoTime())).against(baseUrl, "inst-src", "tok-src", "ct-src")
                .with(db.settings()).with("zapi.sources", "instance").with("zapi.instance.page-size", "3")
                .with("zapi.retry.max-redeliveries", "2").with("zapi.retry.initial-delay-ms", "10");
    }

    private static String chat(String phone, Object isGroup) {
        return "{\"isGroup\": " + (isGroup instanceof String ? "\"" + isGroup + "\"" : isGroup) + ", \"name\": \"Grupo\", \"phone\": \"" + phone
                + "\", \"unread\": \"0\", \"lastMessageTime\": \"1730918668000\", \"isMuted\": \"0\", \"isMarkedSpam\": \"false\","
                + " \"archived\": \"false\", \"pinned\": \"false\", \"muteEndTime\": null, \"messagesUnread\": \"0\"}";
    }

    private void answers() {
        zapi.stubFor(get(urlPathEqualTo(BASE + "/status")).willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
        zapi.stubFor(post(urlPathMatching(BASE + "/group-invitation-link/.*")).willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/InstAAAA\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Inst\",\"participants\":[]}")));
    }

    @Test
    void theInstanceSourceEnrichesEveryGroupOfTheSimulatorOnceAndExits() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator("inst-src", "tok-src", "ct-src", SimulatorOptions.defaults()).start();
                TestDatabase db = TestDatabase.postgres()) {
            List<String> groups = simulator.joinGroups(5_000_000, 140);
            BatchRun run = run(simulator.baseUrl().toString(), db).with("zapi.instance.page-size", "25").run();

            assertThat(run.exitCode()).isZero();
            assertThat(run.report().getFileName().toString()).matches("instance-\\d{8}T\\d{6}Z\\.csv");
            assertThat(run.rowsByGroup()).containsOnlyKeys(groups);
            assertThat(groups).allSatisfy(id -> assertThat(simulator.linkRequests(id)).isEqualTo(1));
            assertThat(db.rows("SELECT status FROM zapi_enrichment_run WHERE source = 'instance'")).extracting(r -> r.get("status"))
                    .containsExactly("COMPLETED");
        }
    }

    /**
     * Pages from 1 with pageSize, until a short page; booleans as strings or not; a broadcast list, a contact by
     * number and one by LID skipped; a community's announcement group taken; a 503 page retried.
     */
    @Test
    void pagesAreAskedForFromOneUntilAShortPageAndOnlyGroupsAreTaken() throws Exception {
        answers();
        zapi.stubFor(get(urlPathEqualTo(BASE + "/groups")).withQueryParam("page", equalTo("1")).withQueryParam("pageSize", equalTo("3"))
                .willReturn(okJson("[" + chat("120363019502650001-group", true) + "," + chat("5511999999999", "false") + ","
                        + chat("120363019502650002-group", "true") + "]")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/groups")).withQueryParam("page", equalTo("2")).inScenario("page 2").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":\"busy\"}")).willSetStateTo("healed"));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/groups")).withQueryParam("page", equalTo("2")).inScenario("page 2").whenScenarioStateIs("healed")
                .willReturn(okJson("[" + chat("1624901640-broadcast", "false") + "," + chat("999999999999999@lid", false) + ","
                        + "{\"isGroup\": \"false\", \"isGroupAnnouncement\": \"true\", \"phone\": \"120363019502650003-group\", \"name\": \"Avisos\"}]")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/groups")).withQueryParam("page", equalTo("3"))
                .willReturn(okJson("[" + chat("120363019502650004-group", "true") + "]")));
        try (TestDatabase db = TestDatabase.h2(dir.resolve("db")); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = run(zapi.baseUrl(), db).run();

            assertThat(run.exitCode()).isZero();
            assertThat(run.rowsByGroup()).containsOnlyKeys("120363019502650001-group", "120363019502650002-group", "120363019502650003-group",
                    "120363019502650004-group");
            zapi.verify(2, getRequestedFor(urlPathEqualTo(BASE + "/groups")).withQueryParam("page", equalTo("2")));
            zapi.verify(0, getRequestedFor(urlPathEqualTo(BASE + "/groups")).withQueryParam("page", equalTo("4")));
            assertThat(logs.text()).contains("The instance lists 4 groups in 3 pages of 3")
                    .contains("1 broadcast list").contains("2 chat that is not a group");
        }
    }

    @Test
    void aPageWhoseAnswerIsAnErrorInA200StopsTheBatchWithoutAReport() throws Exception {
        answers();
        zapi.stubFor(get(urlPathEqualTo(BASE + "/groups")).willReturn(okJson("{\"error\":\"instance not connected\"}")));
        try (TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            BatchRun run = run(zapi.baseUrl(), db).run();

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.reportFiles()).noneMatch(name -> name.endsWith(".csv"));
            assertThat(db.rows("SELECT status FROM zapi_enrichment_run WHERE source = 'instance'")).extracting(r -> r.get("status"))
                    .containsExactly("INCOMPLETE");
        }
    }
}

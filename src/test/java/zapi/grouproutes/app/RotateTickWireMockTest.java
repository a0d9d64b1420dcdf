package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.TestDatabase;

/**
 * A rotate tick against WireMock: what it sends (POST redefine with the Client-Token, the 415 fix, a
 * retried 5xx that is one rotation), what it writes, and how a systematic answer stops it early.
 */
class RotateTickWireMockTest {

    static final String INSTANCE = "inst-rot";
    static final String TOKEN = "TkN-rotate-6d01-secret";
    static final String CLIENT_TOKEN = "CtK-rotate-3e7f-secret";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final List<String> GROUPS = List.of("120363000000000101-group", "120363000000000102-group", "120363000000000103-group");

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    private Path list;

    @BeforeEach
    void listAndStatus() throws Exception {
        list = dir.resolve("managed.txt");
        Files.writeString(list, String.join("\n", GROUPS) + "\n");
        zapi.stubFor(get(BASE + "/status").willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
        // the link a group has before its rotation, which a tick asks for when the database holds none
        zapi.stubFor(post(urlPathMatching(BASE + "/group-invitation-link/.*")).willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/Before\"}")));
    }

    private static String link(String group, String generation) {
        return "https://chat.whatsapp.com/" + generation + group.substring(12, 18);
    }

    private BatchRun tick(String name) {
        return new BatchRun(dir.resolve(name)).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN)
                .with(TestDatabase.h2(dir.resolve("db")).settings()).with("zapi.sources", "schedule")
                .with("zapi.schedule.groups", list.toString()).with("zapi.schedule.action", "rotate").with("zapi.rotate.enabled", "true");
    }

    private static void metadataFor(String link, String subject) {
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).withQueryParam("url", equalTo(link))
                .willReturn(okJson("{\"subject\":\"" + subject + "\",\"participants\":[]}")));
    }

    @Test
    void rotatesEachGroupOnceWithTheLinkCallsRules() throws Exception {
        // the deployment wants explicit Accept (the 415 fix); one group's redefine fails once with a 503
        zapi.stubFor(post(urlPathMatching(BASE + "/redefine-invitation-link/.*")).withHeader("Accept", absent())
                .willReturn(aResponse().withStatus(415).withBody("{\"error\":\"Unsupported Media Type\"}")).atPriority(1));
        for (String group : GROUPS) {
            zapi.stubFor(post(BASE + "/redefine-invitation-link/" + group).withHeader("Accept", equalTo("application/json"))
                    .withHeader("Client-Token", equalTo(CLIENT_TOKEN)).inScenario(group).whenScenarioStateIs(STARTED)
                    .willReturn(group.equals(GROUPS.get(1)) ? aResponse().withStatus(503).withBody("busy")
                            : okJson("{\"invitationLink\":\"" + link(group, "new") + "\"}"))
                    .willSetStateTo("rotated").atPriority(2));
            zapi.stubFor(post(BASE + "/redefine-invitation-link/" + group).withHeader("Accept", equalTo("application/json"))
                    .inScenario(group).whenScenarioStateIs("rotated").willReturn(okJson("{\"invitationLink\":\"" + link(group, "new") + "\"}"))
                    .atPriority(2));
            metadataFor(link(group, "new"), "Group " + group.substring(15, 18));
            // the link each group has before the tick: the database has none yet, so the tick asks for it
            zapi.stubFor(post(BASE + "/group-invitation-link/" + group).willReturn(okJson("{\"invitationLink\":\"" + link(group, "old") + "\"}")));
        }

        BatchRun tick = tick("rotate").run();

        assertThat(tick.exitCode()).isZero();
        Map<String, CSVRecord> rows = tick.rowsByGroup();
        for (String group : GROUPS) {
            assertThat(rows.get(group).get("status")).isEqualTo("OK");
            assertThat(rows.get(group).get("invitation_link")).isEqualTo(link(group, "new"));
        }
        // the 503 was retried: two requests, one rotation; never a GET on a call that revokes
        zapi.verify(2, postRequestedFor(urlPathEqualTo(BASE + "/redefine-invitation-link/" + GROUPS.get(1))).withHeader("Accept", equalTo("application/json")));
        zapi.verify(0, getRequestedFor(urlPathMatching(BASE + "/redefine-invitation-link/.*")));
        // first sight of these groups in this database: one more request each, for the link that is revoked,
        // so the rotation report lists every group with both links, and the history holds both
        for (String group : GROUPS) {
            zapi.verify(1, postRequestedFor(urlPathEqualTo(BASE + "/group-invitation-link/" + group)));
        }
        Map<String, CSVRecord> firstSight = BatchRun.rows(tick.rotationsReport()).stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.get("group_id"), r -> r));
        assertThat(firstSight).containsOnlyKeys(GROUPS);
        assertThat(firstSight.values()).allSatisfy(r -> {
            assertThat(r.get("previous_link")).isEqualTo(link(r.get("group_id"), "old"));
            assertThat(r.get("new_link")).isEqualTo(link(r.get("group_id"), "new"));
            assertThat(r.get("previous_seen_at")).isNotEmpty();
            assertThat(r.get("rotated_at")).isNotEmpty();
            assertThat(r.get("change")).isEqualTo("rotated");
        });
        TestDatabase db = TestDatabase.h2(dir.resolve("db"));
        assertThat(db.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(2L * GROUPS.size());
        // a second rotate tick knows the stored links: no request but the redefine
        for (String group : GROUPS) {
            zapi.stubFor(post(BASE + "/redefine-invitation-link/" + group).withHeader("Accept", equalTo("application/json"))
                    .willReturn(okJson("{\"invitationLink\":\"" + link(group, "newer") + "\"}")).atPriority(0));
            metadataFor(link(group, "newer"), "Group " + group.substring(15, 18));
        }
        BatchRun second = tick("rotate-again").run();
        assertThat(second.exitCode()).isZero();
        List<CSVRecord> rotations = BatchRun.rows(second.rotationsReport());
        assertThat(rotations).extracting(r -> r.get("group_id")).containsExactlyInAnyOrderElementsOf(GROUPS);
        assertThat(rotations).allSatisfy(r -> {
            assertThat(r.get("previous_link")).isEqualTo(link(r.get("group_id"), "new"));
            assertThat(r.get("new_link")).isEqualTo(link(r.get("group_id"), "newer"));
        });
        zapi.verify(GROUPS.size(), postRequestedFor(urlPathMatching(BASE + "/group-invitation-link/.*")));
    }

    @Test
    void aRedefineWhoseAnswerWasLostKeepsNoCurrentLinkAndTheNextTickSettlesIt() throws Exception {
        // the first two groups' redefine answers never arrive (the connection drops after the request went
        // out: Z-API may have revoked the link); the third rotates
        for (String group : GROUPS) {
            zapi.stubFor(post(BASE + "/group-invitation-link/" + group).willReturn(okJson("{\"invitationLink\":\"" + link(group, "old") + "\"}")));
            zapi.stubFor(post(BASE + "/redefine-invitation-link/" + group).willReturn(group.equals(GROUPS.get(2))
                    ? okJson("{\"invitationLink\":\"" + link(group, "new") + "\"}")
                    : aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        }
        metadataFor(link(GROUPS.get(2), "new"), "Group 103");

        BatchRun tick = tick("lost").with("zapi.retry.max-redeliveries", "1").run();

        assertThat(tick.exitCode()).isZero();
        Map<String, CSVRecord> rows = tick.rowsByGroup();
        assertThat(rows.get(GROUPS.get(0)).get("status")).isEqualTo("FAILED");
        assertThat(rows.get(GROUPS.get(1)).get("status")).isEqualTo("FAILED");
        Map<String, CSVRecord> rotations = BatchRun.rows(tick.rotationsReport()).stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.get("group_id"), r -> r));
        assertThat(rotations).containsOnlyKeys(GROUPS);
        for (String lost : GROUPS.subList(0, 2)) {
            assertThat(rotations.get(lost).get("previous_link")).isEqualTo(link(lost, "old"));
            assertThat(rotations.get(lost).get("new_link")).isEmpty();
            assertThat(rotations.get(lost).get("change")).isEqualTo("unknown");
        }
        assertThat(rotations.get(GROUPS.get(2)).get("change")).isEqualTo("rotated");
        // a link that may be revoked is never the current one: it waits, marked, for the next look
        TestDatabase db = TestDatabase.h2(dir.resolve("db"));
        for (String lost : GROUPS.subList(0, 2)) {
            assertThat(db.row("SELECT invitation_link, possibly_revoked_link FROM zapi_group WHERE group_id = ?", lost))
                    .containsEntry("invitation_link", null).containsEntry("possibly_revoked_link", link(lost, "old"));
        }

        // the next tick (a check) asks again: the first group's link was revoked, the second's was not
        zapi.resetAll();
        listAndStatus();
        zapi.stubFor(post(BASE + "/group-invitation-link/" + GROUPS.get(0)).willReturn(okJson("{\"invitationLink\":\"" + link(GROUPS.get(0), "lost") + "\"}")));
        zapi.stubFor(post(BASE + "/group-invitation-link/" + GROUPS.get(1)).willReturn(okJson("{\"invitationLink\":\"" + link(GROUPS.get(1), "old") + "\"}")));
        zapi.stubFor(post(BASE + "/group-invitation-link/" + GROUPS.get(2)).willReturn(okJson("{\"invitationLink\":\"" + link(GROUPS.get(2), "new") + "\"}")));
        metadataFor(link(GROUPS.get(0), "lost"), "Group 101");
        metadataFor(link(GROUPS.get(1), "old"), "Group 102");
        metadataFor(link(GROUPS.get(2), "new"), "Group 103");
        BatchRun check = tick("check").with("zapi.schedule.action", "check").run();

        assertThat(check.exitCode()).isZero();
        assertThat(BatchRun.rows(check.rotationsReport())).singleElement().satisfies(r -> {
            assertThat(r.get("group_id")).isEqualTo(GROUPS.get(0));
            assertThat(r.get("previous_link")).isEqualTo(link(GROUPS.get(0), "old"));
            assertThat(r.get("new_link")).isEqualTo(link(GROUPS.get(0), "lost"));
            assertThat(r.get("change")).isEqualTo("changed");
        });
        assertThat(db.row("SELECT invitation_link, possibly_revoked_link FROM zapi_group WHERE group_id = ?", GROUPS.get(0)))
                .containsEntry("invitation_link", link(GROUPS.get(0), "lost")).containsEntry("possibly_revoked_link", null);
        assertThat(db.row("SELECT invitation_link, possibly_revoked_link FROM zapi_group WHERE group_id = ?", GROUPS.get(1)))
                .containsEntry("invitation_link", link(GROUPS.get(1), "old")).containsEntry("possibly_revoked_link", null);
    }

    @Test
    void aSystematicAnswerStopsTheTickEarlyAndPublishesNothing() throws Exception {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(String.format("1203630000000%05d-group", i));
        }
        Files.writeString(list, String.join("\n", many) + "\n");
        zapi.stubFor(post(urlPathMatching(BASE + "/redefine-invitation-link/.*"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody("{\"error\":\"Invalid token\"}")));
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun tick = tick("stopped").with("zapi.rotate.max-groups", "40").run();

            assertThat(tick.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(tick.reportFiles()).isEmpty();
            // the workers in flight when the first 401 came, not the 40 groups
            assertThat(zapi.findAll(postRequestedFor(urlPathMatching(BASE + "/redefine-invitation-link/.*")))).hasSizeLessThanOrEqualTo(8);
            assertThat(logs.text()).contains("stopped: Client-Token or instance token rejected (HTTP 401").doesNotContain(TOKEN, CLIENT_TOKEN);
            TestDatabase db = TestDatabase.h2(dir.resolve("db"));
            assertThat(db.rows("SELECT status, stop_reason FROM zapi_enrichment_run")).singleElement()
                    .satisfies(r -> assertThat(r.get("status")).isEqualTo("INCOMPLETE"));
        }
    }

    @Test
    void a405OnRedefineStopsWithoutTryingAnotherMethod() throws Exception {
        zapi.stubFor(post(urlPathMatching(BASE + "/redefine-invitation-link/.*"))
                .willReturn(aResponse().withStatus(405).withBody("{\"error\":\"Method not allowed\"}")));
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun tick = tick("405").run();

            assertThat(tick.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            zapi.verify(0, getRequestedFor(urlPathMatching(BASE + "/redefine-invitation-link/.*")));
            assertThat(zapi.findAll(anyRequestedFor(urlPathMatching(BASE + "/group-invitation-metadata.*")))).isEmpty();
            assertThat(logs.text()).contains("Z-API refused POST (HTTP 405) for redefine-invitation-link");
        }
    }
}

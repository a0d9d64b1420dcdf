package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;

/**
 * Batch mode through the real routes against a scripted Z-API: how the API's quirks (tolerant
 * payloads, errors inside a 200, a brief 503) and hostile group data end up in the report.
 */
class ZapiQuirksBatchTest {

    static final String INSTANCE = "inst-7";
    static final String TOKEN = "TOK-quirks-4f1e";
    static final String CLIENT_TOKEN = "CT-quirks-b2c9";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private static String link(String code) {
        return "https://chat.whatsapp.com/" + code;
    }

    private static void linkFor(String group, String body) {
        zapi.stubFor(post(BASE + "/group-invitation-link/" + group).willReturn(okJson(body)));
    }

    private static void metadataFor(String link, String body) {
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).withQueryParam("url", equalTo(link)).willReturn(okJson(body)));
    }

    @Test
    void hostileTextIsNeutralizedAndLoosePayloadsAreRead() throws IOException {
        // a subject that a spreadsheet would run, booleans as strings, subjectTime/Owner one level down,
        // creation in seconds, unknown and null fields
        linkFor("120363000000000001-group", "{\"invitationLink\":\"" + link("FormulaGroupAAAAAAAAAA1") + "\",\"extra\":1}");
        metadataFor(link("FormulaGroupAAAAAAAAAA1"), """
                {"phone":"120363000000000001-group","owner":"@5511888888888","subject":"=HYPERLINK(\\"http://x\\",\\"y\\")",
                 "description":"-2+3\\nsecond line, with \\"quotes\\"","creation":1588721491,"participantsCount":"3","contactsCount":null,
                 "participants":[{"phone":"5511888888888","isAdmin":"false","isSuperAdmin":"true","subjectTime":1617805323000,"subjectOwner":"+5511888888888"},
                                 {"phone":"5511777777777","isAdmin":"true","isSuperAdmin":false},
                                 {"phone":"5511666666666","isAdmin":null,"newField":{"a":1}}],
                 "brandNewField":[1,2,3]}
                """);
        // a 200 that carries an error, and a 200 without a link
        linkFor("120363000000000002-group", "{\"error\":\"Group not found\",\"message\":\"not a participant\"}");
        linkFor("120363000000000003-group", "{\"phone\":\"120363000000000003-group\"}");
        // a transient 503 before the metadata answers
        linkFor("120363000000000004-group", "{\"invitationLink\":\"" + link("FlakyGroupBBBBBBBBBBBB4") + "\"}");
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).withQueryParam("url", equalTo(link("FlakyGroupBBBBBBBBBBBB4")))
                .inScenario("flaky").whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(503).withBody("busy")).willSetStateTo("recovered"));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).withQueryParam("url", equalTo(link("FlakyGroupBBBBBBBBBBBB4")))
                .inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"subject\":\"Back\",\"subjectTime\":\"2021-04-07T14:22:03Z\",\"subjectOwner\":\"5511\",\"participants\":[]}")));
        // a 4xx that is no systematic error: the row carries Z-API's text
        zapi.stubFor(post(BASE + "/group-invitation-link/120363000000000005-group")
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json").withBody("{\"error\":\"Group does not exist\"}")));

        BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).input("quirks.txt", """
                120363000000000001-group
                120363000000000002-group
                120363000000000003-group
                120363000000000004-group
                120363000000000005-group
                120363000000000006-group;DROP
                =cmd|' /C calc'!A0
                """).run();

        assertThat(run.exitCode()).isZero();
        Map<String, CSVRecord> rows = run.rowsByGroup();
        CSVRecord formula = rows.get("120363000000000001-group");
        assertThat(formula.get("status")).isEqualTo("OK");
        assertThat(formula.get("subject")).isEqualTo("'=HYPERLINK(\"http://x\",\"y\")");
        assertThat(formula.get("description")).isEqualTo("'-2+3\nsecond line, with \"quotes\"");
        assertThat(formula.get("owner")).isEqualTo("'@5511888888888");
        assertThat(formula.get("subject_owner")).isEqualTo("'+5511888888888");
        assertThat(formula.get("subject_time")).isEqualTo("2021-04-07T14:22:03Z");
        assertThat(formula.get("created_at")).isEqualTo("2020-05-05T23:31:31Z");
        assertThat(formula.get("participants_count")).isEqualTo("3");
        assertThat(formula.get("contacts_count")).isEmpty();
        assertThat(formula.get("admins_count")).isEqualTo("2");

        assertThat(rows.get("120363000000000002-group").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("120363000000000002-group").get("error_code")).isEqualTo("200");
        assertThat(rows.get("120363000000000002-group").get("error_message")).contains("Group not found");
        assertThat(rows.get("120363000000000003-group").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("120363000000000003-group").get("error_message")).contains("no invitationLink");

        CSVRecord flaky = rows.get("120363000000000004-group");
        assertThat(flaky.get("status")).isEqualTo("OK");
        assertThat(flaky.get("subject")).isEqualTo("Back");
        assertThat(flaky.get("subject_time")).isEqualTo("2021-04-07T14:22:03Z");
        zapi.verify(2, getRequestedFor(urlPathEqualTo(BASE + "/group-invitation-metadata")).withQueryParam("url", equalTo(link("FlakyGroupBBBBBBBBBBBB4"))));

        CSVRecord missing = rows.get("120363000000000005-group");
        assertThat(missing.get("status")).isEqualTo("FAILED");
        assertThat(missing.get("error_code")).isEqualTo("404");
        assertThat(missing.get("error_message")).contains("Group does not exist");

        // injection attempts never reach the API, and their row cannot run in a spreadsheet either
        assertThat(rows.get("120363000000000006-group;DROP").get("status")).isEqualTo("REJECTED");
        assertThat(rows).containsKey("'=cmd|' /C calc'!A0");
        assertThat(rows.get("'=cmd|' /C calc'!A0").get("status")).isEqualTo("REJECTED");
        assertThat(zapi.getAllServeEvents()).noneMatch(e -> e.getRequest().getUrl().contains("DROP") || e.getRequest().getUrl().contains("calc"));

        List<CSVRecord> participants = BatchRun.rows(run.participantsReport());
        assertThat(participants).filteredOn(p -> p.get("group_id").equals("120363000000000001-group"))
                .extracting(p -> p.get("phone") + "/" + p.get("is_admin") + "/" + p.get("is_super_admin"))
                .containsExactlyInAnyOrder("5511888888888/false/true", "5511777777777/true/false", "5511666666666/false/false");
        assertThat(Files.readString(run.report())).doesNotContain("\n=").doesNotContain(",=").doesNotContain(",@").doesNotContain(",+");
    }
}

package zapi.grouproutes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.EmbeddedKafka;

/**
 * Z-API's {@code @lid} identifiers (docs/tips/lid.md of Z-API's documentation: "phone" may hold the number or
 * the LID, as {@code 999999999999999@lid} or {@code 65998849469@lid}; webhooks send {@code 81896604192873@lid})
 * in every field of the group metadata where a person is named: {@code owner}, {@code subjectOwner} (top level
 * and under a participant) and {@code participants[].phone}. Through the real routes, each reaches the report,
 * the participants report, the {@code zapi.group.enriched} event and the database (H2 here; the store's own
 * contract runs the same values on PostgreSQL and MariaDB) as Z-API sent it, and is never taken for malformed.
 */
class LidIdentifiersTest {

    static final String INSTANCE = "inst-lid";
    static final String TOKEN = "TOK-lid-90ab";
    static final String CLIENT_TOKEN = "CT-lid-3f11";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final String GROUP = "120363019502650977-group";
    static final String LINK = "https://chat.whatsapp.com/LidGroupAAAAAAAAAAAAAAA";
    static final String OWNER = "81896604192873@lid";
    static final String SUBJECT_OWNER = "999999999999999@lid";
    static final List<String> MEMBERS = List.of(OWNER, "65998849469@lid", "554499999999", SUBJECT_OWNER);

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();
    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @TempDir
    Path dir;

    @Test
    void lidsInTheMetadataReachEveryReportTheEventAndTheDatabaseUnchanged() throws Exception {
        zapi.stubFor(post(BASE + "/group-invitation-link/" + GROUP).willReturn(okJson("{\"phone\":\"" + GROUP + "\",\"invitationLink\":\"" + LINK + "\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).withQueryParam("url", equalTo(LINK)).willReturn(okJson("""
                {"phone":"%s","owner":"%s","subject":"Vendas SP","description":null,"creation":1588721491000,
                 "participantsCount":"4","contactsCount":"3",
                 "participants":[
                   {"phone":"%s","isAdmin":"false","isSuperAdmin":"true"},
                   {"phone":"%s","isAdmin":true,"isSuperAdmin":false,"subjectTime":1617805323000,"subjectOwner":"%s"},
                   {"phone":"%s","isAdmin":"false","isSuperAdmin":"false"},
                   {"phone":"%s","isAdmin":"false","isSuperAdmin":"false"}
                 ]}""".formatted(GROUP, OWNER, MEMBERS.get(0), MEMBERS.get(1), SUBJECT_OWNER, MEMBERS.get(2), MEMBERS.get(3)))));
        String topic = "lid.results." + System.nanoTime();
        Path db = dir.resolve("db").resolve("zapi-groups");

        BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN)
                .with("zapi.sinks", "csv,topic,jdbc").with("zapi.kafka.brokers", kafka.bootstrapServers()).with("zapi.topic", topic)
                .input("lid.txt", GROUP + "\n").run();

        assertThat(run.exitCode()).isZero();
        CSVRecord row = run.rowsByGroup().get(GROUP);
        assertThat(row.get("status")).isEqualTo("OK");
        assertThat(row.get("owner")).isEqualTo(OWNER);
        assertThat(row.get("subject_owner")).isEqualTo(SUBJECT_OWNER);
        assertThat(BatchRun.rows(run.participantsReport())).extracting(r -> r.get("phone")).containsExactlyElementsOf(MEMBERS);

        List<JsonNode> enriched = new ArrayList<>();
        for (ConsumerRecord<String, String> record : kafka.readAll(topic, Duration.ofSeconds(1))) {
            JsonNode event = new ObjectMapper().readTree(record.value());
            if (event.get("type").asText().equals("zapi.group.enriched")) {
                enriched.add(event);
            }
        }
        assertThat(enriched).hasSize(1);
        JsonNode data = enriched.get(0).get("data");
        assertThat(data.get("owner").asText()).isEqualTo(OWNER);
        assertThat(data.get("subject_owner").asText()).isEqualTo(SUBJECT_OWNER);
        List<String> eventMembers = new ArrayList<>();
        data.get("participants").forEach(p -> eventMembers.add(p.get("phone").asText()));
        assertThat(eventMembers).containsExactlyElementsOf(MEMBERS);

        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT owner, subject_owner FROM zapi_group")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(OWNER);
                assertThat(rs.getString(2)).isEqualTo(SUBJECT_OWNER);
            }
            List<String> stored = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT phone FROM zapi_group_participant")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            assertThat(stored).containsExactlyInAnyOrderElementsOf(MEMBERS);
        }
    }
}

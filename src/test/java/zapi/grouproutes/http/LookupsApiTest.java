package zapi.grouproutes.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * POST /api/lookups and GET /api/groups/{id}?refresh=true through a real HTTP client against the running routes
 * (service mode), WireMock as Z-API and PostgreSQL for the database sink: every outcome, PENDING at the deadline
 * and its result later in the database, the request's errors, and the answers checked against the document.
 */
class LookupsApiTest {

    static final String KEY = "5a4b3c2d1e0f5a4b3c2d1e0f5a4b3c2d1e0f5a4b3c2d1e0f5a4b3c2d1e0f0001";
    static final String INSTANCE = "inst-lookups";
    static final String TOKEN = "tok-lookups-secret";
    static final String CLIENT_TOKEN = "ct-lookups-secret";
    static final String BASE = "/instances/" + INSTANCE + "/token/" + TOKEN;
    static final String OK_GROUP = "120363000000000101-group";
    static final String PARTIAL_GROUP = "120363000000000102-group";
    static final String FAILED_GROUP = "120363000000000103-group";
    static final String SLOW_GROUP = "120363000000000104-group";

    @RegisterExtension
    static WireMockExtension zapi = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).resetOnEachTest(false).build();

    @TempDir
    static Path dir;
    static TestDatabase database;
    static ServiceRun service;
    static ApiClient api;
    static CapturedLogs logs;

    @BeforeAll
    static void start() throws Exception {
        logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE);
        database = TestDatabase.postgres();
        zapi.stubFor(get(BASE + "/status").willReturn(okJson("{\"connected\":true,\"smartphoneConnected\":true}")));
        link(OK_GROUP, 0);
        link(PARTIAL_GROUP, 0);
        link(SLOW_GROUP, 3000);
        zapi.stubFor(get(urlPathMatching(BASE + "/group-invitation-link/" + FAILED_GROUP))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("{\"error\":\"group not found\"}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).willReturn(okJson("{\"subject\":\"Team\",\"participants\":[{\"phone\":\"1\"},{\"phone\":\"2\"}]}")));
        zapi.stubFor(get(urlPathEqualTo(BASE + "/group-invitation-metadata")).withQueryParam("url", com.github.tomakehurst.wiremock.client.WireMock.containing("L00102"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("{\"error\":\"no metadata\"}")));
        int port = ApiClient.freePort();
        BatchRun run = new BatchRun(dir).against(zapi.baseUrl(), INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .with("zapi.mode", "service").with("zapi.sources", "http").with("zapi.sinks", "jdbc").with("zapi.observe.enabled", "false")
                .with("zapi.invitation-link-method", "GET").with("zapi.retry.max-redeliveries", "1")
                .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.api.keys", "integrator:" + ApiClient.hashOf(KEY)).with("zapi.api.rate.requests-per-second", "1000")
                .with("zapi.api.max-ids", "5").with("zapi.api.timeout-ms", "1500").with("zapi.request-timeout-ms", "10000");
        service = run.startAsService();
        api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.get("/api/openapi.json", KEY).statusCode() == 200);
    }

    static void link(String group, int delayMillis) {
        zapi.stubFor(get(urlPathMatching(BASE + "/group-invitation-link/" + group))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/L" + group.substring(13, 18) + "\"}").withFixedDelay(delayMillis)));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            database.close();
            logs.close();
        }
    }

    static HttpResponse<String> lookup(String body) throws Exception {
        return lookup(body, "application/json");
    }

    static HttpResponse<String> lookup(String body, String type) throws Exception {
        return api.send(HttpRequest.newBuilder(api.uri("/api/lookups")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)), KEY);
    }

    static JsonNode entry(JsonNode answer, String group) {
        for (JsonNode entry : answer.get("groups")) {
            if (entry.get("groupId").asText().equals(group)) {
                return entry;
            }
        }
        throw new AssertionError(group + " not in " + answer);
    }

    @Test
    void everyGroupIsAnsweredWithItsOutcomeAndReasonAndAPendingOneStillReachesTheDatabase() throws Exception {
        HttpResponse<String> response = lookup("{\"groupIds\":[\"" + OK_GROUP + "\",\"" + PARTIAL_GROUP + "\",\"" + FAILED_GROUP
                + "\",\"5511999999999\",\"" + SLOW_GROUP + "\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = ApiClient.json(response);
        assertThat(answer.get("requested").asInt()).isEqualTo(5);
        List<String> order = new ArrayList<>();
        answer.get("groups").forEach(g -> order.add(g.get("groupId").asText()));
        assertThat(order).containsExactly(OK_GROUP, PARTIAL_GROUP, FAILED_GROUP, "5511999999999", SLOW_GROUP);
        JsonNode ok = entry(answer, OK_GROUP);
        assertThat(ok.get("outcome").asText()).as(response.body()).isEqualTo("OK");
        assertThat(ok.get("invitationLink").asText()).isEqualTo("https://chat.whatsapp.com/L00101");
        assertThat(ok.get("subject").asText()).isEqualTo("Team");
        assertThat(entry(answer, PARTIAL_GROUP).get("outcome").asText()).as(response.body()).isEqualTo("PARTIAL");
        assertThat(entry(answer, PARTIAL_GROUP).get("reason").asText()).isNotBlank();
        assertThat(entry(answer, FAILED_GROUP).get("outcome").asText()).isEqualTo("FAILED");
        assertThat(entry(answer, FAILED_GROUP).get("reason").asText()).isNotBlank();
        assertThat(entry(answer, "5511999999999").get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(entry(answer, "5511999999999").get("reason").asText()).contains("contact");
        assertThat(entry(answer, SLOW_GROUP).get("outcome").asText()).isEqualTo("PENDING");
        assertThat(answer.get("ok").asInt() + answer.get("partial").asInt() + answer.get("failed").asInt() + answer.get("rejected").asInt()
                + answer.get("pending").asInt()).isEqualTo(5);
        schemas().assertMatches("post", "/api/lookups", "200", response.body());
        // the pending group was not lost: its result reaches the database sink after the answer
        await().atMost(Duration.ofSeconds(30)).until(() -> "OK".equals(storedStatus(SLOW_GROUP)));
        assertThat(storedStatus(OK_GROUP)).isEqualTo("OK");
        JsonNode stored = ApiClient.json(api.get("/api/groups/" + SLOW_GROUP, KEY));
        assertThat(stored.get("invitationLink").asText()).isEqualTo("https://chat.whatsapp.com/L00104");
        // audited by the key's name; no key or token in any log line
        assertThat(logs.text()).contains("API POST /api/lookups by key 'integrator'")
                .doesNotContain(KEY).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
    }

    @Test
    void aRefreshEnrichesNowAndAnswersTheFreshResult() throws Exception {
        zapi.stubFor(get(urlPathMatching(BASE + "/group-invitation-link/120363000000000105-group"))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/First\"}")));
        HttpResponse<String> first = api.get("/api/groups/120363000000000105-group?refresh=true", KEY);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(ApiClient.json(first).get("invitationLink").asText()).isEqualTo("https://chat.whatsapp.com/First");
        zapi.stubFor(get(urlPathMatching(BASE + "/group-invitation-link/120363000000000105-group"))
                .willReturn(okJson("{\"invitationLink\":\"https://chat.whatsapp.com/Second\"}")));
        assertThat(ApiClient.json(api.get("/api/groups/120363000000000105-group", KEY)).get("invitationLink").asText())
                .as("without refresh: the stored one").isEqualTo("https://chat.whatsapp.com/First");
        HttpResponse<String> fresh = api.get("/api/groups/120363000000000105-group?refresh=true", KEY);
        assertThat(ApiClient.json(fresh).get("invitationLink").asText()).isEqualTo("https://chat.whatsapp.com/Second");
        schemas().assertMatches("/api/groups/{groupId}", "200", fresh.body());
        assertThat(logs.text()).contains("API GET /api/groups/120363000000000105-group?refresh=true by key 'integrator'");
        HttpResponseAssert.problem(api.get("/api/groups/120363000000000105-group?refresh=maybe", KEY), 400, "refresh");
    }

    @Test
    void theRequestsShapeIs400NamingWhatIsWrong() throws Exception {
        HttpResponseAssert.problem(lookup("{\"groupIds\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}"), 400, "at most 5");
        HttpResponseAssert.problem(lookup("{\"groupIds\":["), 400, "not valid JSON");
        HttpResponseAssert.problem(lookup("{\"groupIds\":[]}"), 400, "groupIds is empty");
        HttpResponseAssert.problem(lookup("{\"ids\":[\"" + OK_GROUP + "\"]}"), 400, "'ids'");
        HttpResponseAssert.problem(lookup("{\"groupIds\":\"" + OK_GROUP + "\"}"), 400, "array");
        HttpResponseAssert.problem(lookup("{\"groupIds\":[12]}"), 400, "groupIds[0]");
        HttpResponseAssert.problem(lookup("{}"), 400, "groupIds is missing");
        HttpResponse<String> cap = lookup("{\"groupIds\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}");
        schemas().assertMatches("post", "/api/lookups", "400", cap.body());
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        HttpResponse<String> response = lookup(OK_GROUP, "text/plain");
        HttpResponseAssert.problem(response, 415, "");
        schemas().assertMatches("post", "/api/lookups", "415", response.body());
    }

    @Test
    void theDocumentDescribesTheLookupAndItsErrors() throws Exception {
        var parsed = new io.swagger.v3.parser.OpenAPIV3Parser().readContents(api.get("/api/openapi.json", KEY).body(), null, null);
        assertThat(parsed.getMessages()).isEmpty();
        var post = parsed.getOpenAPI().getPaths().get("/api/lookups").getPost();
        assertThat(post.getResponses()).containsKeys("200", "400", "401", "413", "415", "429", "503");
        assertThat(post.getRequestBody().getContent().get("application/json").getSchema().get$ref()).endsWith("LookupRequest");
        assertThat(parsed.getOpenAPI().getPaths().get("/api/groups/{groupId}").getGet().getParameters())
                .anySatisfy(p -> assertThat(p.getName()).isEqualTo("refresh"));
    }

    static OpenApiSchemas schemas() throws Exception {
        return new OpenApiSchemas(ApiClient.json(api.get("/api/openapi.json", KEY)));
    }

    static String storedStatus(String group) throws Exception {
        try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement("SELECT last_status FROM zapi_group WHERE group_id = ?")) {
            s.setString(1, group);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }
}

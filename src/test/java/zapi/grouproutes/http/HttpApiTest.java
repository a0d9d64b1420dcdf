package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;

/** The read operations and every error of the API, through a real HTTP client against the running routes. */
class HttpApiTest {

    static final String KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    static final String GROUP = "120363000000000001-group";

    @TempDir
    static Path dir;
    static ZapiSimulator simulator;
    static ServiceRun service;
    static ApiClient api;
    static CapturedLogs logs;

    @BeforeAll
    static void start() throws Exception {
        logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE);
        simulator = new ZapiSimulator("inst-http", "tok-http", "ct-http", SimulatorOptions.defaults()).start();
        int port = ApiClient.freePort();
        BatchRun run = new BatchRun(dir).against(simulator, "inst-http", "tok-http", "ct-http")
                .with("zapi.sources", "inbox,http").with("zapi.observe.enabled", "false")
                .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.api.keys", "reader:" + ApiClient.hashOf(KEY) + ",other:" + ApiClient.hashOf("another-key"))
                .with("zapi.api.rate.requests-per-second", "1000")
                .with("zapi.api.max-body-bytes", "1024");
        service = run.startAsService();
        api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        Files.writeString(run.inbox().resolve("groups.txt"), GROUP + "\n");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> api.get("/api/groups/" + GROUP, KEY).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            simulator.close();
            logs.close();
        }
    }

    @Test
    void aStoredGroupIsAnsweredFromTheDatabase() throws Exception {
        HttpResponse<String> response = api.get("/api/groups/" + GROUP, KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode group = ApiClient.json(response);
        assertThat(group.get("groupId").asText()).isEqualTo(GROUP);
        assertThat(group.get("invitationLink").asText()).isEqualTo(simulator.currentLink(GROUP));
        assertThat(group.get("status").asText()).isEqualTo("OK");
        assertThat(group.get("lastSeenAt").asText()).endsWith("Z");
    }

    @Test
    void theLinkHistoryIsPagedNewestFirst() throws Exception {
        JsonNode page = ApiClient.json(api.get("/api/groups/" + GROUP + "/links?page=0&size=5", KEY));
        assertThat(page.get("total").asLong()).isEqualTo(1);
        assertThat(page.get("links").get(0).get("invitationLink").asText()).isEqualTo(simulator.currentLink(GROUP));
        JsonNode empty = ApiClient.json(api.get("/api/groups/" + GROUP + "/links?page=1&size=5", KEY));
        assertThat(empty.get("links")).isEmpty();
    }

    @Test
    void theParticipantsCountReadingsAreAnsweredNewestFirst() throws Exception {
        JsonNode answer = ApiClient.json(api.get("/api/groups/" + GROUP + "/readings?limit=5", KEY));
        assertThat(answer.get("limit").asInt()).isEqualTo(5);
        assertThat(answer.get("readings")).hasSize(1);
        JsonNode reading = answer.get("readings").get(0);
        assertThat(reading.get("status").asText()).isEqualTo("OK");
        assertThat(reading.get("participantsCount").asInt()).isEqualTo(ApiClient.json(api.get("/api/groups/" + GROUP, KEY)).get("participantsCount").asInt());
        HttpResponse<String> limit = api.get("/api/groups/" + GROUP + "/readings?limit=501", KEY);
        assertProblem(limit, 400);
        assertThat(ApiClient.json(limit).get("detail").asText()).startsWith("limit ");
        assertProblem(api.get("/api/groups/120363999999999999-group/readings", KEY), 404);
    }

    @Test
    void aBadGroupIdIs400NamingIt() throws Exception {
        HttpResponse<String> response = api.get("/api/groups/5511999999999", KEY);
        assertProblem(response, 400);
        assertThat(ApiClient.json(response).get("detail").asText()).contains("groupId '5511999999999'").contains("contact");
        HttpResponse<String> size = api.get("/api/groups/" + GROUP + "/links?size=1000", KEY);
        assertProblem(size, 400);
        assertThat(ApiClient.json(size).get("detail").asText()).startsWith("size ");
    }

    @Test
    void aGroupNeverEnrichedIs404() throws Exception {
        assertProblem(api.get("/api/groups/120363999999999999-group", KEY), 404);
        assertProblem(api.get("/api/groups/120363999999999999-group/links", KEY), 404);
    }

    @Test
    void anUnknownPathIs404AndAnUnknownMethod405() throws Exception {
        assertProblem(api.get("/api/nothing-here", KEY), 404);
        assertProblem(api.send(HttpRequest.newBuilder(api.uri("/api/groups/" + GROUP)).DELETE(), KEY), 405);
    }

    @Test
    void noKeyAWrongKeyAndAnyPathAre401WithoutDetail() throws Exception {
        for (HttpResponse<String> response : new HttpResponse[] {api.get("/api/groups/" + GROUP, null), api.get("/api/groups/" + GROUP, "wrong"),
                api.get("/api/nothing-here", null), api.get("/api/openapi.json", null), api.get("/", "Basic abc")}) {
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(response.body()).doesNotContain(GROUP).doesNotContain("key '");
        }
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/api/groups/" + GROUP))
                .header("Content-Type", "application/json").method("POST", HttpRequest.BodyPublishers.ofString("x".repeat(2048))), KEY);
        assertProblem(response, 413);
    }

    @Test
    void aChangingRequestIsAuditedByKeyNameAndNoKeyIsEverLogged() throws Exception {
        api.send(HttpRequest.newBuilder(api.uri("/api/groups/" + GROUP)).DELETE(), "another-key");
        await().atMost(Duration.ofSeconds(5)).until(() -> logs.text().contains("API DELETE /api/groups/" + GROUP + " by key 'other'"));
        assertThat(logs.text()).doesNotContain(KEY).doesNotContain("another-key").doesNotContain(ApiClient.hashOf(KEY));
    }

    @Test
    void theOpenApiDocumentIsValidDescribesEveryOperationAndItsErrorsAndTheAnswersMatchItsSchemas() throws Exception {
        HttpResponse<String> response = api.get("/api/openapi.json", KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        var parsed = new io.swagger.v3.parser.OpenAPIV3Parser().readContents(response.body(), null, null);
        assertThat(parsed.getMessages()).as("the parser's complaints").isEmpty();
        var paths = parsed.getOpenAPI().getPaths();
        assertThat(paths).containsKeys("/api/groups/{groupId}", "/api/groups/{groupId}/links", "/api/groups/{groupId}/readings");
        // the console's list operations (http-api-views) take no group ID and some no database: the codes they can answer
        var lists = java.util.Set.of("/api/overview", "/api/groups", "/api/runs", "/api/rotations", "/api/runs/{runId}/rotations.csv");
        paths.entrySet().stream().filter(item -> item.getValue().getGet() != null).forEach(item -> assertThat(item.getValue().getGet().getResponses())
                .containsKeys(lists.contains(item.getKey()) ? new String[] {"200", "401", "429"} : new String[] {"200", "400", "401", "404", "429", "503"}));
        OpenApiSchemas schemas = new OpenApiSchemas(ApiClient.json(response));
        schemas.assertMatches("/api/groups/{groupId}", "200", api.get("/api/groups/" + GROUP, KEY).body());
        schemas.assertMatches("/api/groups/{groupId}/links", "200", api.get("/api/groups/" + GROUP + "/links", KEY).body());
        schemas.assertMatches("/api/groups/{groupId}/readings", "200", api.get("/api/groups/" + GROUP + "/readings", KEY).body());
        schemas.assertMatches("/api/groups/{groupId}/readings", "400", api.get("/api/groups/" + GROUP + "/readings?limit=0", KEY).body());
        schemas.assertMatches("/api/groups/{groupId}", "404", api.get("/api/groups/120363999999999999-group", KEY).body());
        schemas.assertMatches("/api/groups/{groupId}", "400", api.get("/api/groups/not-a-group", KEY).body());
        schemas.assertMatches("/api/groups/{groupId}", "401", api.get("/api/groups/" + GROUP, null).body());
    }

    static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = ApiClient.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("/api/problems/");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }
}

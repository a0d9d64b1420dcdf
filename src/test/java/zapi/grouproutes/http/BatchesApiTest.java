package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.GroupLists;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * POST /api/batches, GET /api/batches/{id}(/report) and POST /api/schedules/{name}/ticks through a real HTTP
 * client against the running routes (service mode, the simulator as Z-API, PostgreSQL for the run table): a
 * list to its published report, the same post twice, a csv list, an instance batch, a check tick, and every
 * error of the document; the answers checked against the document's schemas, and no key or token in the logs.
 */
class BatchesApiTest {

    static final String KEY = "b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c40001";
    static final String INSTANCE = "inst-batches";
    static final String TOKEN = "tok-batches-secret";
    static final String CLIENT_TOKEN = "ct-batches-secret";
    static final String SCHEDULE = "nightly";

    @TempDir
    static Path dir;
    static ZapiSimulator simulator;
    static TestDatabase database;
    static ServiceRun service;
    static ApiClient api;
    static CapturedLogs logs;

    @BeforeAll
    static void start() throws Exception {
        logs = new CapturedLogs(org.apache.logging.log4j.Level.TRACE);
        database = TestDatabase.postgres();
        simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(40)).start();
        Path scheduleList = dir.resolve("managed.txt");
        Files.writeString(scheduleList, "120363000000000301-group\n120363000000000302-group\n");
        int port = ApiClient.freePort();
        service = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .with("zapi.mode", "service").with("zapi.sources", "http,schedule").with("zapi.sinks", "csv,jdbc").with("zapi.observe.enabled", "false")
                .with("zapi.schedule.name", SCHEDULE).with("zapi.schedule.groups", scheduleList.toString())
                .with("zapi.api.batch-spool", dir.resolve("spool").toString()).with("zapi.api.max-body-bytes", "16384")
                .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.api.keys", "integrator:" + ApiClient.hashOf(KEY)).with("zapi.api.rate.requests-per-second", "1000")
                .startAsService();
        api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.get("/api/openapi.json", KEY).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            if (simulator != null) {
                simulator.close();
            }
            database.close();
            logs.close();
        }
    }

    static HttpResponse<String> post(String path, String body, String type, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return api.send(request, KEY);
    }

    static HttpResponse<String> postList(String body) throws Exception {
        return post("/api/batches", body, "text/plain", null);
    }

    /** The batch's status once it is DONE (or fails the test with the last one). */
    static JsonNode done(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            last[0] = ApiClient.json(api.get("/api/batches/" + id, KEY));
            return List.of("DONE", "INCOMPLETE").contains(last[0].path("status").asText());
        });
        assertThat(last[0].get("status").asText()).as(last[0].toString()).isEqualTo("DONE");
        return last[0];
    }

    static Map<String, CSVRecord> report(String id) throws Exception {
        HttpResponse<String> response = api.get("/api/batches/" + id + "/report", KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/csv");
        Map<String, CSVRecord> rows = new HashMap<>();
        for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(response.body()))) {
            assertThat(rows.put(row.get("group_id"), row)).as("one row per group: %s", row.get("group_id")).isNull();
        }
        return rows;
    }

    @Test
    void aPostedListBecomesABatchWhoseReportIsPublishedWithEveryLineOnceAndBadLinesRejected() throws Exception {
        HttpResponse<String> accepted = postList(GroupLists.EVERY_OUTCOME);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode queued = ApiClient.json(accepted);
        String id = queued.get("id").asText();
        assertThat(accepted.headers().firstValue("Location")).contains("/api/batches/" + id);
        assertThat(queued.get("kind").asText()).isEqualTo("list");
        schemas().assertMatches("post", "/api/batches", "202", accepted.body());

        JsonNode done = done(id);
        schemas().assertMatches("/api/batches/{id}", "200", api.get("/api/batches/" + id, KEY).body());
        assertThat(done.get("counts").get("ok").asLong()).isEqualTo(3);
        assertThat(done.get("counts").get("failed").asLong()).isEqualTo(1);
        assertThat(done.get("counts").get("partial").asLong()).isEqualTo(1);
        assertThat(done.get("counts").get("rejected").asLong()).isEqualTo(2);
        assertThat(done.get("done").asLong()).isEqualTo(7);
        assertThat(done.get("report").asText()).isEqualTo("/api/batches/" + id + "/report");

        Map<String, CSVRecord> rows = report(id);
        assertThat(rows).hasSize(7);
        assertThat(rows.get("120363019502650977-group").get("status")).isEqualTo("OK");
        assertThat(rows.get("120363019502650977-group").get("invitation_link")).isEqualTo(simulator.currentLink("120363019502650977-group"));
        assertThat(rows.get("120363019502650404-group").get("status")).isEqualTo("FAILED");
        assertThat(rows.get("5511988887777").get("status")).isEqualTo("REJECTED");
        assertThat(rows.get("5511988887777").get("error_message")).contains("contact");
        // the list moved out of the spool once its report was published; its id still answers
        assertThat(dir.resolve("spool").resolve(".done").resolve(id + ".txt")).exists();
        assertThat(dir.resolve("spool").resolve(id + ".txt")).doesNotExist();
        assertThat(database.rows("SELECT status FROM zapi_enrichment_run WHERE source = 'api-batch-" + id + "'")).extracting(r -> r.get("status"))
                .containsExactly("COMPLETED");

        assertThat(logs.text()).contains("API POST /api/batches by key 'integrator'").contains("API batch " + id + " accepted from key 'integrator'")
                .doesNotContain(KEY).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
    }

    @Test
    void theSamePostTwiceMakesOneBatchByContentOrByIdempotencyKey() throws Exception {
        String list = "120363000000000201-group\n120363000000000202-group\n";
        HttpResponse<String> first = postList(list);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String id = ApiClient.json(first).get("id").asText();
        HttpResponse<String> again = postList(list);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(ApiClient.json(again).get("id").asText()).isEqualTo(id);
        assertThat(again.headers().firstValue("Location")).contains("/api/batches/" + id);
        schemas().assertMatches("post", "/api/batches", "200", again.body());
        done(id);
        // done too: still the same batch, never a second run
        assertThat(postList(list).statusCode()).isEqualTo(200);

        HttpResponse<String> keyed = post("/api/batches", "120363000000000203-group\n", "text/plain", "order-4711");
        assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(202);
        String keyedId = ApiClient.json(keyed).get("id").asText();
        HttpResponse<String> keyedAgain = post("/api/batches", "120363000000000203-group\n", "text/plain", "order-4711");
        assertThat(keyedAgain.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(keyedAgain).get("id").asText()).isEqualTo(keyedId);
        HttpResponse<String> reused = post("/api/batches", "120363000000000204-group\n", "text/plain", "order-4711");
        HttpResponseAssert.problem(reused, 422, "another body");
        schemas().assertMatches("post", "/api/batches", "422", reused.body());
        done(keyedId);
        assertThat(database.rows("SELECT run_id FROM zapi_enrichment_run WHERE source IN ('api-batch-" + id + "', 'api-batch-" + keyedId + "')"))
                .hasSize(2);
        assertThat(simulator.linkRequests("120363000000000201-group")).isEqualTo(1);
    }

    @Test
    void aCsvListIsReadAsTheInboxReadsACsvFile() throws Exception {
        HttpResponse<String> accepted = post("/api/batches", "owner;group_id\nsales;120363000000000211-group\nsupport;120363000000000212-group\n",
                "text/csv; charset=utf-8", null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = ApiClient.json(accepted).get("id").asText();
        done(id);
        assertThat(report(id)).containsOnlyKeys("120363000000000211-group", "120363000000000212-group");
    }

    @Test
    void theErrorsOfAPostAreProblems() throws Exception {
        HttpResponse<String> unauthenticated = api.send(HttpRequest.newBuilder(api.uri("/api/batches")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("120363000000000221-group\n")), null);
        HttpResponseAssert.problem(unauthenticated, 401, "");
        assertThat(unauthenticated.headers().firstValue("WWW-Authenticate")).isPresent();

        HttpResponse<String> json = post("/api/batches", "{\"groupIds\":[]}", "application/json", null);
        HttpResponseAssert.problem(json, 415, "");
        schemas().assertMatches("post", "/api/batches", "415", json.body());
        HttpResponseAssert.problem(post("/api/batches", "120363000000000221-group\n", "text/plain; charset=ISO-8859-1", null), 415, "UTF-8");

        HttpResponse<String> large = postList("120363000000000222-group\n".repeat(1000));
        HttpResponseAssert.problem(large, 413, "zapi.api.max-body-bytes");
        schemas().assertMatches("post", "/api/batches", "413", large.body());

        HttpResponse<String> binary = postList("120363000000000223-group\n\u0000\u0001\u0002");
        HttpResponseAssert.problem(binary, 400, "Nothing was queued");
        schemas().assertMatches("post", "/api/batches", "400", binary.body());
        HttpResponseAssert.problem(post("/api/batches?from=elsewhere", "", "text/plain", null), 400, "from must be instance");
        HttpResponseAssert.problem(post("/api/batches", "120363000000000224-group\n", "text/plain", "bad key"), 400, "Idempotency-Key");
        // nothing of the refused posts was spooled
        try (var spooled = Files.list(dir.resolve("spool"))) {
            assertThat(spooled.map(p -> p.getFileName().toString())).allSatisfy(name -> assertThat(name).isEqualTo(".done"));
        }
    }

    @Test
    void anUnknownBatchIs404AndAReportBeforeItIsPublishedIs409() throws Exception {
        HttpResponse<String> unknown = api.get("/api/batches/0123456789abcdef01234567", KEY);
        HttpResponseAssert.problem(unknown, 404, "0123456789abcdef01234567");
        schemas().assertMatches("/api/batches/{id}", "404", unknown.body());
        HttpResponse<String> malformed = api.get("/api/batches/nonsense", KEY);
        HttpResponseAssert.problem(malformed, 400, "'nonsense' is not a batch id");
        schemas().assertMatches("/api/batches/{id}", "400", malformed.body());
        HttpResponseAssert.problem(api.get("/api/batches/tick-weekly-1796400015876", KEY), 404, "tick-weekly-1796400015876");
        HttpResponseAssert.problem(api.get("/api/batches/0123456789abcdef01234567/report", KEY), 404, "");

        // a batch that takes a few seconds: 100 groups, two requests each at the simulator's latency
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            list.append(String.format("120363000000400%03d-group%n", i));
        }
        String id = ApiClient.json(postList(list.toString())).get("id").asText();
        HttpResponse<String> early = api.get("/api/batches/" + id + "/report", KEY);
        HttpResponseAssert.problem(early, 409, "DONE");
        schemas().assertMatches("/api/batches/{id}/report", "409", early.body());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode now = ApiClient.json(api.get("/api/batches/" + id, KEY));
            return now.path("status").asText().equals("RUNNING") && now.path("done").asLong() > 0;
        });
        HttpResponse<String> running = api.get("/api/batches/" + id, KEY);
        JsonNode progress = ApiClient.json(running);
        assertThat(progress.get("total").asLong()).as(running.body()).isEqualTo(100);
        assertThat(progress.get("groupsPerSecond").asDouble()).isPositive();
        assertThat(progress.has("etaSeconds")).as(running.body()).isTrue();
        assertThat(progress.has("percent")).as(running.body()).isTrue();
        schemas().assertMatches("/api/batches/{id}", "200", running.body());
        done(id);
    }

    @Test
    void aTickFiredThroughTheApiRunsTheScheduleAndARotateOneNeedsTheOptIn() throws Exception {
        HttpResponse<String> fired = post("/api/schedules/" + SCHEDULE + "/ticks", "", null, null);
        assertThat(fired.statusCode()).as(fired.body()).isEqualTo(202);
        schemas().assertMatches("post", "/api/schedules/{name}/ticks", "202", fired.body());
        String id = ApiClient.json(fired).get("id").asText();
        assertThat(fired.headers().firstValue("Location")).contains("/api/batches/" + id);
        assertThat(ApiClient.json(fired).get("kind").asText()).isEqualTo("tick");
        JsonNode done = done(id);
        assertThat(done.get("counts").get("ok").asLong()).isEqualTo(2);
        assertThat(report(id)).containsOnlyKeys("120363000000000301-group", "120363000000000302-group");
        assertThat(database.rows("SELECT status FROM zapi_enrichment_run WHERE source = 'schedule:" + SCHEDULE + "'")).extracting(r -> r.get("status"))
                .contains("COMPLETED");

        HttpResponse<String> rotate = post("/api/schedules/" + SCHEDULE + "/ticks?action=rotate", "", null, null);
        HttpResponseAssert.problem(rotate, 409, "zapi.rotate.enabled");
        schemas().assertMatches("post", "/api/schedules/{name}/ticks", "409", rotate.body());
        HttpResponse<String> unknown = post("/api/schedules/weekly/ticks", "", null, null);
        HttpResponseAssert.problem(unknown, 404, "weekly");
        schemas().assertMatches("post", "/api/schedules/{name}/ticks", "404", unknown.body());
        HttpResponseAssert.problem(post("/api/schedules/" + SCHEDULE + "/ticks?action=delete", "", null, null), 400, "check, rotate or plan");
        assertThat(logs.text()).contains("API POST /api/schedules/" + SCHEDULE + "/ticks by key 'integrator'").doesNotContain(KEY)
                .doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
    }

    @Test
    void fromInstanceIsOneBatchOfEveryGroupTheInstanceIsIn() throws Exception {
        List<String> groups = simulator.joinGroups(7_000_000, 12);
        HttpResponse<String> accepted = post("/api/batches?from=instance", "", "text/plain", null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        schemas().assertMatches("post", "/api/batches", "202", accepted.body());
        String id = ApiClient.json(accepted).get("id").asText();
        assertThat(ApiClient.json(accepted).get("kind").asText()).isEqualTo("instance");
        done(id);
        assertThat(report(id).keySet()).containsAll(groups);
        assertThat(groups).allSatisfy(group -> assertThat(simulator.linkRequests(group)).isEqualTo(1));
    }

    @Test
    void theDocumentDescribesEveryBatchOperationAndItsErrors() throws Exception {
        var parsed = new io.swagger.v3.parser.OpenAPIV3Parser().readContents(api.get("/api/openapi.json", KEY).body(), null, null);
        assertThat(parsed.getMessages()).isEmpty();
        var paths = parsed.getOpenAPI().getPaths();
        assertThat(paths.get("/api/batches").getPost().getResponses()).containsKeys("200", "202", "400", "401", "413", "415", "422", "429", "503");
        assertThat(paths.get("/api/batches").getPost().getRequestBody().getContent()).containsKeys("text/plain", "text/csv");
        assertThat(paths.get("/api/batches/{id}").getGet().getResponses()).containsKeys("200", "400", "401", "404", "429", "503");
        assertThat(paths.get("/api/batches/{id}/report").getGet().getResponses()).containsKeys("200", "400", "401", "404", "409", "429", "503");
        assertThat(paths.get("/api/schedules/{name}/ticks").getPost().getResponses()).containsKeys("202", "400", "401", "404", "409", "429", "503");
        var openapi = parsed.getOpenAPI();
        assertThat(openapi.getComponents().getSecuritySchemes()).containsKey("apiKey");
        var security = paths.get("/api/batches").getPost().getSecurity() != null ? paths.get("/api/batches").getPost().getSecurity() : openapi.getSecurity();
        assertThat(security).as("the operation needs the API key").isNotEmpty();
    }

    static OpenApiSchemas schemas() throws Exception {
        return new OpenApiSchemas(ApiClient.json(api.get("/api/openapi.json", KEY)));
    }
}

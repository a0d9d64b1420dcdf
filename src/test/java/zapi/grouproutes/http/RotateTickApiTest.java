package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.ServiceRun;

/**
 * POST /api/schedules/{name}/ticks?action=rotate under the opt-in (zapi.rotate.enabled): refused with 409 naming
 * zapi.rotate.max-groups while the schedule's list is longer than the cap, then run, revoking each listed link.
 */
class RotateTickApiTest {

    static final String KEY = "b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c4b47c40003";

    @TempDir
    Path dir;

    @Test
    void aRotateTickRunsUnderTheOptInAndIsRefusedOverTheCap() throws Exception {
        Path list = dir.resolve("rotate.txt");
        Files.writeString(list, "120363000000000701-group\n120363000000000702-group\n120363000000000703-group\n");
        try (ZapiSimulator simulator = new ZapiSimulator("inst-rot", "tok-rot-secret", "ct-rot-secret", SimulatorOptions.defaults()).start()) {
            int port = ApiClient.freePort();
            ServiceRun service = new BatchRun(dir).against(simulator, "inst-rot", "tok-rot-secret", "ct-rot-secret").with("zapi.mode", "service")
                    .with("zapi.sources", "http,schedule").with("zapi.sinks", "csv,jdbc").with("zapi.observe.enabled", "false")
                    .with("zapi.schedule.groups", list.toString()).with("zapi.rotate.enabled", "true").with("zapi.rotate.max-groups", "2")
                    .with("zapi.api.batch-spool", dir.resolve("spool").toString()).with("zapi.http.host", "127.0.0.1")
                    .with("zapi.http.port", String.valueOf(port)).with("zapi.api.keys", "ops:" + ApiClient.hashOf(KEY)).startAsService();
            try {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.get("/api/openapi.json", KEY).statusCode() == 200);
                String before = simulator.currentLink("120363000000000701-group");

                HttpResponse<String> over = rotate(api);
                HttpResponseAssert.problem(over, 409, "zapi.rotate.max-groups");
                assertThat(simulator.currentLink("120363000000000701-group")).as("nothing revoked").isEqualTo(before);

                Files.writeString(list, "120363000000000701-group\n120363000000000702-group\n");
                HttpResponse<String> fired = rotate(api);
                assertThat(fired.statusCode()).as(fired.body()).isEqualTo(202);
                String location = fired.headers().firstValue("Location").orElseThrow();
                await().atMost(Duration.ofSeconds(60)).until(() -> ApiClient.json(api.get(location, KEY)).path("status").asText(), s -> s.equals("DONE"));
                assertThat(ApiClient.json(api.get(location, KEY)).get("counts").get("ok").asLong()).isEqualTo(2);
                assertThat(simulator.currentLink("120363000000000701-group")).as("revoked and reissued").isNotEqualTo(before);
            } finally {
                service.stop();
            }
        }
    }

    @Test
    void withoutTheOptInARotateIsRefusedAndAPlanCountsTheLinksWithoutRevokingAny() throws Exception {
        Path list = dir.resolve("plan.txt");
        Files.writeString(list, "120363000000000711-group\n120363000000000712-group\n120363000000000713-group\n");
        try (ZapiSimulator simulator = new ZapiSimulator("inst-plan", "tok-plan-secret", "ct-plan-secret", SimulatorOptions.defaults()).start()) {
            int port = ApiClient.freePort();
            ServiceRun service = new BatchRun(dir).against(simulator, "inst-plan", "tok-plan-secret", "ct-plan-secret").with("zapi.mode", "service")
                    .with("zapi.sources", "http,schedule").with("zapi.sinks", "csv,jdbc").with("zapi.observe.enabled", "false")
                    .with("zapi.schedule.groups", list.toString()).with("zapi.rotate.max-groups", "5")
                    .with("zapi.api.batch-spool", dir.resolve("spool").toString()).with("zapi.http.host", "127.0.0.1")
                    .with("zapi.http.port", String.valueOf(port)).with("zapi.api.keys", "ops:" + ApiClient.hashOf(KEY)).startAsService();
            try {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.get("/api/openapi.json", KEY).statusCode() == 200);
                OpenApiSchemas schemas = new OpenApiSchemas(ApiClient.json(api.get("/api/openapi.json", KEY)));
                HttpResponse<String> overview = api.get("/api/overview", KEY);
                schemas.assertMatches("/api/overview", "200", overview.body());
                var rotation = ApiClient.json(overview).get("rotation");
                assertThat(rotation.get("schedule").asText()).isEqualTo("managed-groups");
                assertThat(rotation.get("enabled").asBoolean()).as("no opt-in").isFalse();
                assertThat(rotation.get("maxGroups").asInt()).isEqualTo(5);

                HttpResponseAssert.problem(rotate(api), 409, "zapi.rotate.enabled");

                HttpResponse<String> planned = tick(api, "plan");
                assertThat(planned.statusCode()).as(planned.body()).isEqualTo(202);
                schemas.assertMatches("post", "/api/schedules/{name}/ticks", "202", planned.body());
                String location = planned.headers().firstValue("Location").orElseThrow();
                await().atMost(Duration.ofSeconds(60)).until(() -> ApiClient.json(api.get(location, KEY)).path("status").asText(), s -> s.equals("DONE"));
                HttpResponse<String> done = api.get(location, KEY);
                schemas.assertMatches("/api/batches/{id}", "200", done.body());
                assertThat(ApiClient.json(done).get("counts").get("ok").asLong()).as("links a rotate would revoke").isEqualTo(3);
                assertThat(simulator.redefineCount()).as("a plan revokes no link").isZero();
            } finally {
                service.stop();
            }
        }
    }

    static HttpResponse<String> rotate(ApiClient api) throws Exception {
        return tick(api, "rotate");
    }

    static HttpResponse<String> tick(ApiClient api, String action) throws Exception {
        return api.send(HttpRequest.newBuilder(api.uri("/api/schedules/managed-groups/ticks?action=" + action)).POST(HttpRequest.BodyPublishers.noBody()), KEY);
    }
}

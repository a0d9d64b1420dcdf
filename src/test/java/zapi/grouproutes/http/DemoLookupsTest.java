package zapi.grouproutes.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.ServiceRun;

/** The curl examples of docs/http-api.md's lookups section, against demo mode (its simulator and H2 database). */
class DemoLookupsTest {

    static final String KEY = "d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0";
    static final String GROUP = "120363019502650977-group";

    @TempDir
    Path dir;

    @Test
    void theDocumentedLookupAndRefreshWorkAgainstDemoMode() throws Exception {
        int port = ApiClient.freePort();
        ServiceRun service = new BatchRun(dir).with("zapi.demo", "true").with("zapi.demo.dir", dir.resolve("demo").toString())
                .with("zapi.sources", "inbox,http").with("zapi.sinks", "csv,jdbc").with("zapi.observe.enabled", "false")
                .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.api.keys", "demo:" + ApiClient.hashOf(KEY)).startAsService();
        try {
            ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.get("/api/openapi.json", KEY).statusCode() == 200);
            HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/api/lookups")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"groupIds\":[\"" + GROUP + "\",\"5511999999999\"]}")), KEY);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode groups = ApiClient.json(response).get("groups");
            assertThat(groups.get(0).get("outcome").asText()).as(response.body()).isEqualTo("OK");
            assertThat(groups.get(1).get("outcome").asText()).isEqualTo("REJECTED");
            HttpResponse<String> refreshed = api.get("/api/groups/" + GROUP + "?refresh=true", KEY);
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            assertThat(ApiClient.json(refreshed).get("invitationLink").asText()).isEqualTo(groups.get(0).get("invitationLink").asText());
        } finally {
            service.stop();
        }
    }
}

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

import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.ServiceRun;

/** The curl examples of docs/http-api.md's batches and ticks section, against demo mode (its simulator and H2 database). */
class DemoBatchesTest {

    static final String KEY = "d3m0b47cd3m0b47cd3m0b47cd3m0b47cd3m0b47cd3m0b47cd3m0b47cd3m0b47c";

    @TempDir
    Path dir;

    @Test
    void theDocumentedBatchInstanceBatchAndTickWorkAgainstDemoMode() throws Exception {
        int port = ApiClient.freePort();
        Path samples = Path.of("samples/groups.txt").toAbsolutePath();
        ServiceRun service = new BatchRun(dir).with("zapi.demo", "true").with("zapi.demo.dir", dir.resolve("demo").toString())
                .with("zapi.mode", "service").with("zapi.sources", "http,schedule").with("zapi.sinks", "csv,jdbc").with("zapi.observe.enabled", "false")
                .with("zapi.schedule.groups", samples.toString())
                .with("zapi.http.host", "127.0.0.1").with("zapi.http.port", String.valueOf(port))
                .with("zapi.api.keys", "demo:" + ApiClient.hashOf(KEY)).startAsService();
        try {
            ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> api.get("/api/openapi.json", KEY).statusCode() == 200);

            // curl -H 'Content-Type: text/plain' --data-binary @list.txt .../api/batches
            HttpResponse<String> posted = api.send(HttpRequest.newBuilder(api.uri("/api/batches")).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("120363019502650977-group\n120363019502650978-group\n5511999999999\n")), KEY);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            String location = posted.headers().firstValue("Location").orElseThrow();
            String report = doneReport(api, location);
            assertThat(rows(report)).extracting(row -> row.get("group_id") + " " + row.get("status"))
                    .containsExactlyInAnyOrder("120363019502650977-group OK", "120363019502650978-group OK", "5511999999999 REJECTED");
            assertThat(Files.exists(dir.resolve("demo").resolve("api-batches").resolve(".done"))).isTrue();

            // curl -X POST -H 'Content-Type: text/plain' ".../api/batches?from=instance"
            HttpResponse<String> instance = api.send(HttpRequest.newBuilder(api.uri("/api/batches?from=instance")).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.noBody()), KEY);
            assertThat(instance.statusCode()).as(instance.body()).isEqualTo(202);
            doneReport(api, instance.headers().firstValue("Location").orElseThrow());

            // curl -X POST .../api/schedules/managed-groups/ticks
            HttpResponse<String> tick = api.send(HttpRequest.newBuilder(api.uri("/api/schedules/managed-groups/ticks"))
                    .POST(HttpRequest.BodyPublishers.noBody()), KEY);
            assertThat(tick.statusCode()).as(tick.body()).isEqualTo(202);
            assertThat(rows(doneReport(api, tick.headers().firstValue("Location").orElseThrow()))).isNotEmpty();
        } finally {
            service.stop();
        }
    }

    static java.util.List<org.apache.commons.csv.CSVRecord> rows(String csv) throws java.io.IOException {
        return org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(csv))
                .getRecords();
    }

    /** Polls the batch's status until DONE, then reads its report. */
    static String doneReport(ApiClient api, String location) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> ApiClient.json(api.get(location, KEY)).path("status").asText(), s -> s.equals("DONE"));
        HttpResponse<String> report = api.get(location + "/report", KEY);
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        return report.body();
    }
}

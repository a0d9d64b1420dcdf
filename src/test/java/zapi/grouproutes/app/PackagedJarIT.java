package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.support.EmbeddedArtemis;
import zapi.grouproutes.support.EmbeddedKafka;

/**
 * The jar users run, as `mvn package` builds it, started in service mode with every source that can run
 * together (inbox, Kafka, JMS, schedule, HTTP API, Z-API webhooks) and the database and topic sinks, from a
 * folder without routes/ or config/ (the jar's own copies), against real brokers. The test classpath holds
 * more than the jar does: a component that only a test dependency brought in (camel-scheduler, once) starts
 * here and not there. Each source then takes one input through to its outcome, and SIGTERM ends the service
 * with exit code 0, no ERROR line and no secret in its output. Run by failsafe after `package`.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "zapi-group-routes.jar").toAbsolutePath();
    private static final String GROUP = "120363019502650977-group";

    @TempDir
    Path dir;

    @Test
    void theShippedJarStartsWithEverySourceTakesAnInputThroughEachAndStopsCleanly() throws Exception {
        assertThat(JAR).as("mvn package builds the jar before integration tests").exists();
        String apiKey = "it-key-" + Long.toHexString(System.nanoTime()) + "-not-for-logs";
        String webhookSecret = "it-webhook-secret-" + HexFormat.of().formatHex(new byte[12]).replace('0', 'a') + "xyz";
        int httpPort = freePort();
        int observePort = freePort();
        try (EmbeddedKafka kafka = new EmbeddedKafka().start(); EmbeddedArtemis artemis = EmbeddedArtemis.start(dir.resolve("artemis"))) {
            kafka.createTopic("zapi.group-ids", 1);
            kafka.createTopic("zapi.group-results", 1);
            artemis.createQueue("zapi.groups");
            Path work = Files.createDirectories(dir.resolve("work"));
            Path output = dir.resolve("service.log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-jar", JAR.toString()).directory(work.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("ZAPI_"));
            env.putAll(Map.ofEntries(Map.entry("ZAPI_DEMO", "true"), Map.entry("ZAPI_MODE", "service"),
                    Map.entry("ZAPI_SOURCES", "inbox,kafka,jms,schedule,http"), Map.entry("ZAPI_SINKS", "jdbc,topic"),
                    Map.entry("ZAPI_KAFKA_BROKERS", kafka.bootstrapServers()), Map.entry("ZAPI_JMS_URL", artemis.url()),
                    Map.entry("ZAPI_JMS_QUEUE", "zapi.groups"), Map.entry("ZAPI_SCHEDULE_CRON", "0 0 6 * * ?"),
                    Map.entry("ZAPI_HTTP_PORT", String.valueOf(httpPort)), Map.entry("ZAPI_HTTP_HOST", "127.0.0.1"),
                    Map.entry("ZAPI_API_KEYS", "it:" + sha256Hex(apiKey)),
                    Map.entry("ZAPI_WEBHOOK_SECRET", webhookSecret), Map.entry("ZAPI_OBSERVE_PORT", String.valueOf(observePort)),
                    Map.entry("ZAPI_OBSERVE_HOST", "127.0.0.1")));
            Process service = builder.start();
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                URI ready = URI.create("http://127.0.0.1:" + observePort + "/observe/health/ready");
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).failFast("the service exited",
                        () -> !service.isAlive()).until(() -> status(http, HttpRequest.newBuilder(ready).build()) == 200);

                // the HTTP API: a lookup through enrich-group and the sinks
                HttpResponse<String> lookup = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/lookups"))
                        .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"groupIds\":[\"" + GROUP + "\"]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(lookup.statusCode()).as(lookup.body()).isEqualTo(200);
                assertThat(lookup.body()).contains("\"OK\"");
                // the webhook: a group notification is recorded for a re-check
                HttpResponse<String> callback = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/webhooks/zapi/"
                        + webhookSecret)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"type\":\"ReceivedCallback\",\"isGroup\":true,\"phone\":\"" + GROUP
                                        + "\",\"notification\":\"GROUP_PARTICIPANT_ADD\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
                // Kafka and JMS: one group each, one event each on the result topic (the demo inbox's sample list adds its own)
                kafka.send("zapi.group-ids", List.of("120363019502650978-group"));
                try (Connection connection = artemis.connect(); Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                    MessageProducer producer = session.createProducer(session.createQueue("zapi.groups"));
                    producer.send(session.createTextMessage("120363019502650979-group"));
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).failFast("the service exited", () -> !service.isAlive())
                        .until(() -> {
                            String events = String.join("\n", kafka.readAll("zapi.group-results", Duration.ofMillis(500)).stream()
                                    .map(r -> r.value()).toList());
                            return events.contains("120363019502650978-group") && events.contains("120363019502650979-group");
                        });
                assertThat(artemis.messageCount("zapi.groups")).as("the JMS message was acknowledged").isZero();
            } finally {
                service.destroy();
                assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("SIGTERM ends the service").isTrue();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(service.exitValue()).as(log).isZero();
            assertThat(log).as("started from the jar's own routes and config, with every source")
                    .contains("sources: inbox").contains("kafka").contains("jms").contains("schedule").contains("http");
            assertThat(log.lines().filter(l -> l.contains(" ERROR ")).toList()).as(log).isEmpty();
            assertThat(log).doesNotContain(apiKey).doesNotContain(webhookSecret);
        }
    }

    private static int status(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static String sha256Hex(String text) throws java.security.NoSuchAlgorithmException {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

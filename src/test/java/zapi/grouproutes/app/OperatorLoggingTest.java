package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.EmbeddedKafka;

/**
 * An operator's own log4j2 file, root at TRACE and none of the shipped pins, passed as an operator passes
 * it ({@code -Dlog4j2.configurationFile}) to the application in a JVM of its own, with the secrets in
 * environment variables: an inbox batch, a Kafka-sourced group and a rotate tick leave no secret, nor any
 * 8-character piece of one, in anything the process writes.
 */
class OperatorLoggingTest {

    // long, random-looking and unlike any ordinary text, so a match is a leak and nothing else
    static final String INSTANCE = "inst-operator-logging";
    static final String TOKEN = "Tq7ZwR4pL9xYvB2nM6hSjD3fG8kC1aEu";
    static final String CLIENT_TOKEN = "Ck5XbN8mQ2wE7rT4yU1iO9pA6sD3fGhJ";
    static final String DB_PASSWORD = "Pw3HjK8lZ5xC2vB9nM4qW7eR1tY6uIoP";
    static final String GROUP_FILE = "120363000000000101-group";
    static final String GROUP_KAFKA = "120363000000000102-group";
    static final String GROUP_ROTATED = "120363000000000103-group";

    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    @TempDir
    Path dir;

    @Test
    void aWholeRunAtTraceUnderTheOperatorsOwnLoggingLeaksNoSecret() throws Exception {
        kafka.createTopic("oplog.ids", 1);
        kafka.createTopic("oplog.results", 1);
        Path logFile = dir.resolve("logs").resolve("app.log");
        Path config = dir.resolve("operator-log4j2.xml");
        Files.writeString(config, """
                <Configuration status="WARN">
                  <Appenders>
                    <File name="file" fileName="%s" immediateFlush="false" bufferSize="65536">
                      <PatternLayout pattern="%%d %%-5level [%%t] %%c - %%msg%%n%%throwable"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Root level="TRACE"><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(logFile));
        Path inbox = dir.resolve("inbox");
        Files.createDirectories(inbox);
        Path rotateList = dir.resolve("rotate.txt");
        Files.writeString(rotateList, GROUP_ROTATED + "\n");

        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN,
                SimulatorOptions.defaults().withLatencyMillis(0)).start()) {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                    "-Dlog4j2.configurationFile=" + config));
            Map.ofEntries(Map.entry("zapi.mode", "service"), Map.entry("zapi.sources", "inbox,kafka,schedule"),
                    Map.entry("zapi.sinks", "jdbc,topic"), Map.entry("zapi.base-url", simulator.baseUrl().toString()),
                    Map.entry("zapi.instance-id", INSTANCE), Map.entry("zapi.inbox", inbox.toString()),
                    Map.entry("zapi.inbox.poll-delay-ms", "200"), Map.entry("zapi.inbox.min-file-age-ms", "100"),
                    Map.entry("zapi.report-dir", dir.resolve("reports").toString()),
                    Map.entry("zapi.db.url", "jdbc:h2:file:" + dir.resolve("db").resolve("zapi-groups").toAbsolutePath()),
                    Map.entry("zapi.db.user", "sa"), Map.entry("zapi.kafka.brokers", kafka.bootstrapServers()),
                    Map.entry("zapi.kafka.topic", "oplog.ids"), Map.entry("zapi.kafka.rejected-topic", "oplog.rejected"),
                    Map.entry("zapi.kafka.group-id", "oplog"), Map.entry("zapi.topic", "oplog.results"),
                    Map.entry("zapi.schedule.groups", rotateList.toString()), Map.entry("zapi.schedule.cron", "0/2 * * * * ?"),
                    Map.entry("zapi.schedule.action", "rotate"), Map.entry("zapi.rotate.enabled", "true"),
                    Map.entry("zapi.concurrency", "2"), Map.entry("zapi.observe.port", "0"))
                    .forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ZapiGroupRoutes.class.getName()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectError(dir.resolve("stderr.txt").toFile());
            // as an operator hands secrets over: environment variables
            builder.environment().putAll(Map.of("ZAPI_TOKEN", TOKEN, "ZAPI_CLIENT_TOKEN", CLIENT_TOKEN, "ZAPI_DB_PASSWORD", DB_PASSWORD));
            Files.writeString(inbox.resolve("groups.txt"), GROUP_FILE + "\n");
            Process process = builder.start();
            try {
                kafka.send("oplog.ids", List.of(GROUP_KAFKA));
                // one event per group on the results topic: the file's, the record's and the rotated one's
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    List<String> events = kafka.readAll("oplog.results", Duration.ofMillis(300)).stream().map(r -> r.value()).toList();
                    return !process.isAlive() || Stream.of(GROUP_FILE, GROUP_KAFKA, GROUP_ROTATED)
                            .allMatch(group -> events.stream().anyMatch(event -> event.contains(group)));
                });
                assertThat(process.isAlive()).as("the service runs (see %s)", dir.resolve("stdout.txt")).isTrue();
                assertThat(simulator.currentLink(GROUP_ROTATED)).isNotNull();
            } finally {
                process.destroy();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
        String log = Files.readString(logFile, StandardCharsets.ISO_8859_1);
        assertThat(log).as("the operator's file is the one in force, at TRACE").contains("TRACE").contains("DEBUG")
                .contains("org.apache.hc.client5.http.headers");
        // wire-level debugging still shows the request line and the headers, the secrets masked
        assertThat(log).contains("/token/****/").contains("Client-Token: ****").contains("zapi.token with value: ****");
        System.out.printf("OperatorLoggingTest: the run wrote %,d bytes of log at TRACE%n", Files.size(logFile));
        assertNoPieceOfASecret(dir);
    }

    /** Every file the run wrote (its log, stdout, stderr, the database), byte for byte, and every file name. */
    private static void assertNoPieceOfASecret(Path dir) throws IOException {
        List<String> pieces = new ArrayList<>();
        for (String secret : List.of(TOKEN, CLIENT_TOKEN, DB_PASSWORD)) {
            for (int start = 0; start + 8 <= secret.length(); start++) {
                pieces.add(secret.substring(start, start + 8));
            }
        }
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().endsWith(".xml")).toList()) {
                String text = file + "\n" + Files.readString(file, StandardCharsets.ISO_8859_1);
                for (String piece : pieces) {
                    int at = text.indexOf(piece);
                    if (at >= 0) {
                        int lineStart = text.lastIndexOf('\n', at) + 1;
                        int lineEnd = text.indexOf('\n', at);
                        leaks.add(file.getFileName() + ": " + text.substring(lineStart, Math.min(lineEnd < 0 ? text.length() : lineEnd,
                                lineStart + 300)));
                        break;
                    }
                }
            }
        }
        assertThat(leaks).as("pieces of a secret in what the run wrote").isEmpty();
    }
}

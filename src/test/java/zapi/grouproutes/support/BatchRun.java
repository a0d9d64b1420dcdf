package zapi.grouproutes.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.ZapiSimulator;

/**
 * One batch-mode run of the real application (routes/ and config/ of this checkout) in this JVM,
 * with its own inbox and report folder, and what it left behind; or, with {@link #startAsService()},
 * the same application started in service mode.
 */
public final class BatchRun {

    private final Path inbox;
    private final Path reports;
    private final Map<String, String> settings = new HashMap<>();
    private int exitCode = -1;

    public BatchRun(Path dir) {
        this.inbox = dir.resolve("inbox");
        this.reports = dir.resolve("reports");
        settings.put("zapi.mode", "batch");
        settings.put("zapi.inbox", inbox.toString());
        settings.put("zapi.report-dir", reports.toString());
        settings.put("zapi.inbox.poll-delay-ms", "100");
        // inputs are written before the run starts; a test about young files sets its own age
        settings.put("zapi.inbox.min-file-age-ms", "100");
        settings.put("zapi.retry.initial-delay-ms", "20");
        settings.put("zapi.retry.max-delay-ms", "200");
        settings.put("zapi.rate.requests-per-second", "200");
        settings.put("zapi.concurrency", "4");
        settings.put("zapi.request-timeout-ms", "2000");
        // both default sinks; the database is an H2 file of this run's own (TestDatabase settings replace it)
        settings.put("zapi.sinks", "csv,jdbc");
        settings.put("zapi.db.url", "jdbc:h2:file:" + dir.resolve("db").resolve("zapi-groups").toAbsolutePath());
        settings.put("zapi.db.retry.initial-delay-ms", "50");
        settings.put("zapi.db.retry.max-delay-ms", "500");
        // many applications start in this JVM, one after another: health and metrics (service mode) on any free port
        settings.put("zapi.observe.port", "0");
    }

    public BatchRun against(ZapiSimulator simulator, String instanceId, String token, String clientToken) {
        return against(simulator.baseUrl().toString(), instanceId, token, clientToken);
    }

    public BatchRun against(String baseUrl, String instanceId, String token, String clientToken) {
        settings.put("zapi.base-url", baseUrl);
        settings.put("zapi.instance-id", instanceId);
        settings.put("zapi.token", token);
        settings.put("zapi.client-token", clientToken);
        return this;
    }

    public BatchRun with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public BatchRun with(Map<String, String> more) {
        settings.putAll(more);
        return this;
    }

    /** The settings this run passes to the application. */
    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    public BatchRun input(String name, String content) throws IOException {
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve(name), content, StandardCharsets.UTF_8);
        return this;
    }

    public BatchRun run() {
        exitCode = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> ZapiGroupRoutes.run(settings));
        return this;
    }

    /**
     * The application's main class in a JVM of its own, with these settings as system properties and its
     * output in {@code <dir>/child.log}: for tests that kill it with -9.
     */
    public Process startProcess(Path dir) throws IOException {
        return startProcess(settings, dir);
    }

    /** {@link #startProcess(Path)} with settings of the caller's own. */
    public static Process startProcess(Map<String, String> settings, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new java.util.ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ZapiGroupRoutes.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    /** The same settings in service mode: the application watches the inbox until it is stopped. */
    public ServiceRun startAsService() throws IOException {
        Files.createDirectories(inbox);
        Map<String, String> service = new HashMap<>(settings);
        service.put("zapi.mode", "service");
        return ServiceRun.start(service);
    }

    public int exitCode() {
        return exitCode;
    }

    public Path inbox() {
        return inbox;
    }

    public Path reports() {
        return reports;
    }

    /** Files left in the inbox root (not in .done). */
    public List<String> waitingInputs() throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    public List<String> doneInputs() throws IOException {
        Path done = inbox.resolve(".done");
        if (!Files.isDirectory(done)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(done)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every file in the report folder, hidden ones included. */
    public List<String> reportFiles() throws IOException {
        if (!Files.isDirectory(reports)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(reports)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The single group report of the run. */
    public Path report() throws IOException {
        List<String> groups = reportFiles().stream()
                .filter(n -> n.endsWith(".csv") && !n.endsWith("-participants.csv") && !n.endsWith("-rotations.csv") && !n.endsWith("-left.csv")).toList();
        assertThat(groups).as("group reports in %s", reports).hasSize(1);
        return reports.resolve(groups.get(0));
    }

    public Path participantsReport() throws IOException {
        Path report = report();
        return report.resolveSibling(report.getFileName().toString().replace(".csv", "-participants.csv"));
    }

    /** A schedule tick's rotation report, beside its report. */
    public Path rotationsReport() throws IOException {
        Path report = report();
        return report.resolveSibling(report.getFileName().toString().replace(".csv", "-rotations.csv"));
    }

    public static List<CSVRecord> rows(Path csv) throws IOException {
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        }
    }

    public List<CSVRecord> reportRows() throws IOException {
        return rows(report());
    }

    public Map<String, CSVRecord> rowsByGroup() throws IOException {
        Map<String, CSVRecord> byGroup = new HashMap<>();
        for (CSVRecord row : reportRows()) {
            assertThat(byGroup.put(row.get("group_id"), row)).as("one row per group: %s", row.get("group_id")).isNull();
        }
        return byGroup;
    }
}

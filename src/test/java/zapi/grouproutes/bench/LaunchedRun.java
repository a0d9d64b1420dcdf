package zapi.grouproutes.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One child JVM of a benchmark, timed by the benchmark from its start to its exit: the product as users run it
 * (bin/zapi-group-routes, batch mode, CSV sink, a fixed rate nobody reaches) or {@link RawLoop}, against a
 * {@link FixedAnswers} server. Its output goes to {@code out.log} in its own folder.
 *
 * @param startedMillis when the benchmark started it (epoch ms)
 * @param exitedMillis  when the benchmark saw it exit
 */
record LaunchedRun(String name, long startedMillis, long exitedMillis, int exitCode, Path folder) {

    static final Path LAUNCHER = Path.of("bin", "zapi-group-routes").toAbsolutePath();
    static final Path JAR = Path.of("target", "zapi-group-routes.jar").toAbsolutePath();
    static final String INSTANCE = "bench";
    static final String TOKEN = "bench-token";
    static final String CLIENT_TOKEN = "bench-client-token";

    /** A list of {@code groups} distinct group IDs, one a line, written before any run starts. */
    static Path groups(Path file, int groups) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < groups; i++) {
                out.write(String.format(Locale.ROOT, "120363%012d1-group%n", i));
            }
        }
        return file;
    }

    /**
     * A batch-mode run of the product through the launcher on a copy of {@code input}, delivered complete a minute
     * before the start. {@code javaOpts} replaces the launcher's JVM options; {@code env} adds settings.
     */
    static LaunchedRun product(Path dir, String name, Path input, String base, int workers, String javaOpts, Map<String, String> env)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the benchmark with bench/run, which builds it (mvn package)");
        }
        Path run = Files.createTempDirectory(dir, "product");
        Path inbox = Files.createDirectories(run.resolve("inbox"));
        Path file = Files.copy(input, inbox.resolve(input.getFileName()));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString());
        Map<String, String> settings = builder.environment();
        settings.put("JAVA_HOME", System.getProperty("java.home"));
        settings.put("JAVA_OPTS", javaOpts);
        settings.put("ZAPI_JAR", JAR.toString());
        settings.put("ZAPI_MODE", "batch");
        settings.put("ZAPI_INBOX", inbox.toString());
        settings.put("ZAPI_REPORT_DIR", run.resolve("reports").toString());
        settings.put("ZAPI_BASE_URL", base);
        settings.put("ZAPI_INSTANCE_ID", INSTANCE);
        settings.put("ZAPI_TOKEN", TOKEN);
        settings.put("ZAPI_CLIENT_TOKEN", CLIENT_TOKEN);
        settings.put("ZAPI_SINKS", "csv");
        settings.put("ZAPI_CONCURRENCY", String.valueOf(workers));
        settings.put("ZAPI_RATE_REQUESTS_PER_SECOND", "1000000");
        settings.putAll(env);
        return run(name, builder, run);
    }

    /** {@link RawLoop} on {@code threads} threads over {@code input}, in a JVM with {@code javaOpts}. */
    static LaunchedRun loop(Path dir, Path input, String base, int threads, String javaOpts) throws IOException, InterruptedException {
        Path run = Files.createTempDirectory(dir, "loop");
        List<String> command = new java.util.ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(javaOpts.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawLoop.class.getName(), base, INSTANCE, TOKEN, CLIENT_TOKEN,
                input.toString(), String.valueOf(threads), run.resolve("loop.csv").toString()));
        return run("raw java.net.http loop", new ProcessBuilder(command), run);
    }

    private static LaunchedRun run(String name, ProcessBuilder builder, Path folder) throws IOException, InterruptedException {
        builder.redirectErrorStream(true).redirectOutput(folder.resolve("out.log").toFile());
        long started = System.currentTimeMillis();
        Process child = builder.start();
        int exit = child.waitFor();
        return new LaunchedRun(name, started, System.currentTimeMillis(), exit, folder);
    }

    /** The run exited 0, else it measured nothing. */
    LaunchedRun exitedZero() {
        if (exitCode != 0) {
            throw new NotMeasured(name + " exited " + exitCode + "; its output: " + folder.resolve("out.log"));
        }
        return this;
    }

    double wallSeconds() {
        return (exitedMillis - startedMillis) / 1000.0;
    }

    /** The product's log line that contains {@code text}, which must be there. */
    String line(String text) throws IOException {
        try (var lines = Files.lines(folder.resolve("out.log"), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(text)).findFirst()
                    .orElseThrow(() -> new NotMeasured(name + " never logged \"" + text + "\"; its output: " + folder.resolve("out.log")));
        }
    }

    /** When the product logged the line that contains {@code text} (epoch ms, from the line's own timestamp). */
    long loggedAt(String text) throws IOException {
        String line = line(text);
        return Instant.parse(line.substring(0, line.indexOf(' '))).toEpochMilli();
    }

    /** The machine's load average over 1, 5 and 15 minutes, as /proc/loadavg has it (other jobs share the cores). */
    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}

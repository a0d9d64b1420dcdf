package zapi.grouproutes.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU per group of the product's call path against a baseline measured in the same run: {@link RawLoop}, a plain
 * {@code java.net.http} loop making the same two calls per group and writing a CSV line. Both run as child JVMs
 * with the same options against {@link FixedAnswerServer} (a third JVM answering fixed bodies at once), so the
 * figures are the client's own work: no latency to hide it, no server CPU counted.
 * <ul>
 * <li><b>CPU ms per group, steady</b>: the child's CPU time (user + system, all its threads: JIT and GC
 * included) between the moments the server had seen 20% and 90% of the requests, over the groups those
 * requests were for. Start-up and the last stragglers are left out.</li>
 * <li><b>groups per CPU-second</b> and its ratio to the loop's: the goal is at least 0.7.</li>
 * <li><b>to first request</b>: from starting the JVM to the server's first request, wall time; and the CPU
 * spent by then. For the large input and, apart, for a 1,000-group one (median of 5): the product checks a
 * whole file before its batch begins.</li>
 * </ul>
 * The product runs as it ships: {@code java -jar target/zapi-group-routes.jar}, which bench/run builds with
 * {@code mvn package}. Start-up is measured six ways, in turns: the launcher users run (bin/zapi-group-routes,
 * which picks up the archive by itself), the jar with its class-data archive
 * ({@code -XX:SharedArchiveFile=target/zapi-group-routes.jsa}, made by the same build), the jar alone, and the
 * classes on Maven's test classpath (218 jars: how this benchmark ran the product before), all from the checkout
 * (its routes/ and config/); then the jar with and without the archive from a folder without them ("elsewhere":
 * the copies packaged in the jar, as a deployment of the jar alone runs).
 * <pre>
 * BENCH=CallPathBenchmark bench/run                 # 200,000 groups, 8 workers, loop and product twice each
 * BENCH=CallPathBenchmark bench/run 50000 8 1       # groups workers rounds
 * </pre>
 */
public final class CallPathBenchmark {

    private static final String INSTANCE = "bench";
    private static final String TOKEN = "bench-token";
    private static final String CLIENT_TOKEN = "bench-client-token";
    private static final int STARTUP_GROUPS = 1_000;
    private static final int STARTUP_ROUNDS = 5;
    private static final Path JAR = Path.of("target", "zapi-group-routes.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "zapi-group-routes.jsa").toAbsolutePath();
    private static final String LOOP = "raw java.net.http loop";
    private static final String PRODUCT = "zapi-group-routes";

    /** How the product's JVM finds its classes, and from which folder it starts; start-up is measured for each. */
    private enum Launch {
        /** The command users run: bin/zapi-group-routes, which passes the archive beside the jar by itself. */
        LAUNCHER("bin/zapi-group-routes", false),
        ARCHIVED_JAR("jar + class-data archive", false),
        JAR("jar alone", false),
        CLASSPATH("Maven test classpath", false),
        /** From a folder without routes/ or config/: the copies packaged in the jar. */
        ARCHIVED_JAR_ELSEWHERE("elsewhere, jar + archive", true),
        JAR_ELSEWHERE("elsewhere, jar alone", true);

        final String label;
        final boolean elsewhere;

        Launch(String label, boolean elsewhere) {
            this.label = label;
            this.elsewhere = elsewhere;
        }
    }

    private record Sample(long atMillis, long requests, long cpuNanos) {
    }

    private record Result(String name, double cpuMsPerGroup, double groupsPerSecond, long toFirstRequestMillis,
            long cpuToFirstRequestMillis, double wallSeconds) {
    }

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        List<String> jvm = List.of(java, "-Xmx1g");

        Path dir = Files.createTempDirectory("zapi-callpath");
        Path input = dir.resolve("groups.txt");
        try (BufferedWriter out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 0; i < groups; i++) {
                out.write(String.format(Locale.ROOT, "120363%012d1-group%n", i));
            }
        }
        if (!Files.isRegularFile(JAR) || !Files.isRegularFile(ARCHIVE)) {
            throw new IllegalStateException(JAR + " and " + ARCHIVE + " are missing: run it with bench/run, which builds them (mvn package)");
        }
        Process server = new ProcessBuilder(concat(jvm, "-cp", classpath, FixedAnswerServer.class.getName()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            String base = "http://127.0.0.1:" + port;
            HttpClient stats = HttpClient.newHttpClient();
            List<Result> results = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                results.add(measure(LOOP, stats, base, groups, loop(jvm, classpath, base, input, workers, dir.resolve("loop.csv"))));
                results.add(measure(PRODUCT, stats, base, groups, product(jvm, classpath, Launch.JAR, base, input, dir, workers)));
            }
            print(groups, workers, results);
            // start-up apart: the product checks a whole input file before its batch begins, so a large file's
            // first request waits for that pass; a small one shows the fixed cost
            Path small = dir.resolve("small.txt");
            Files.write(small, Files.readAllLines(input).subList(0, Math.min(groups, STARTUP_GROUPS)));
            List<Result> startups = new ArrayList<>();
            for (int round = 0; round < STARTUP_ROUNDS; round++) {
                startups.add(measure(LOOP, stats, base, 0, loop(jvm, classpath, base, small, workers, dir.resolve("loop-small.csv"))));
                for (Launch launch : Launch.values()) {
                    startups.add(measure(launch.label, stats, base, 0, product(jvm, classpath, launch, base, small, dir, workers)));
                }
            }
            printStartup(startups);
        } finally {
            server.destroy();
        }
    }

    private static ProcessBuilder loop(List<String> jvm, String classpath, String base, Path input, int workers, Path csv) {
        return new ProcessBuilder(concat(jvm, "-cp", classpath, RawLoop.class.getName(), base, INSTANCE, TOKEN, CLIENT_TOKEN,
                input.toString(), String.valueOf(workers), csv.toString()));
    }

    /** A batch run of the product on one copy of the input: CSV sink only, a fixed rate nobody reaches. */
    private static ProcessBuilder product(List<String> jvm, String classpath, Launch launch, String base, Path input, Path dir, int workers)
            throws IOException {
        Path run = Files.createTempDirectory(dir, "product");
        Path inbox = Files.createDirectories(run.resolve("inbox"));
        Path file = Files.copy(input, inbox.resolve("groups.txt"));
        // a file delivered before the run, as a scheduled batch run finds it: older than zapi.inbox.min-file-age-ms,
        // so the read lock takes it at once (a file still changing is waited for, by design, and is not start-up)
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        ProcessBuilder builder = new ProcessBuilder(switch (launch) {
            case LAUNCHER -> List.of(Path.of("bin", "zapi-group-routes").toAbsolutePath().toString());
            // -Xshare:on: a run whose archive does not map fails instead of being measured as one that did
            case ARCHIVED_JAR, ARCHIVED_JAR_ELSEWHERE -> concat(jvm, "-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE, "-jar", JAR.toString());
            case JAR, JAR_ELSEWHERE -> concat(jvm, "-jar", JAR.toString());
            // the product's own log configuration, not the tests'
            case CLASSPATH -> concat(jvm, "-cp", Arrays.stream(classpath.split(java.io.File.pathSeparator))
                    .filter(entry -> !entry.endsWith("test-classes")).collect(Collectors.joining(java.io.File.pathSeparator)),
                    "zapi.grouproutes.app.ZapiGroupRoutes");
        });
        if (launch.elsewhere) {
            builder.directory(run.toFile());
        }
        Map<String, String> env = builder.environment();
        if (launch == Launch.LAUNCHER) {
            // the same JVM and heap as the other launches
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("JAVA_OPTS", String.join(" ", jvm.subList(1, jvm.size())));
            env.put("ZAPI_JAR", JAR.toString());
        }
        env.put("ZAPI_MODE", "batch");
        env.put("ZAPI_INBOX", inbox.toString());
        env.put("ZAPI_REPORT_DIR", run.resolve("reports").toString());
        env.put("ZAPI_BASE_URL", base);
        env.put("ZAPI_INSTANCE_ID", INSTANCE);
        env.put("ZAPI_TOKEN", TOKEN);
        env.put("ZAPI_CLIENT_TOKEN", CLIENT_TOKEN);
        env.put("ZAPI_SINKS", "csv");
        env.put("ZAPI_CONCURRENCY", String.valueOf(workers));
        env.put("ZAPI_RATE_REQUESTS_PER_SECOND", "1000000");
        builder.redirectOutput(run.resolve("out.log").toFile());
        return builder;
    }

    private static Result measure(String name, HttpClient stats, String base, int groups, ProcessBuilder builder) throws Exception {
        get(stats, base + "/_reset");
        builder.redirectErrorStream(true);
        if (builder.redirectOutput() == ProcessBuilder.Redirect.PIPE) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        long started = System.currentTimeMillis();
        Process child = builder.start();
        List<Sample> samples = new ArrayList<>();
        long firstRequest = 0;
        long cpuAtFirst = -1;
        while (child.isAlive()) {
            long cpu = child.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
            String[] answer = get(stats, base + "/_stats").split(" ");
            long requests = Long.parseLong(answer[0]);
            if (requests > 0 && cpuAtFirst < 0) {
                firstRequest = Long.parseLong(answer[1]);
                cpuAtFirst = cpu;
            }
            if (cpu >= 0) {
                samples.add(new Sample(System.currentTimeMillis(), requests, cpu));
            }
            Thread.sleep(cpuAtFirst < 0 ? 20 : 200);
        }
        double wall = (System.currentTimeMillis() - started) / 1000.0;
        if (child.exitValue() != 0) {
            throw new IllegalStateException(name + " exited " + child.exitValue());
        }
        if (groups == 0) {
            return new Result(name, Double.NaN, Double.NaN, firstRequest - started, cpuAtFirst / 1_000_000, wall);
        }
        long total = 2L * groups;
        Sample from = samples.stream().filter(s -> s.requests() >= total / 5).findFirst().orElseThrow();
        Sample to = samples.stream().filter(s -> s.requests() <= total * 9 / 10).reduce((a, b) -> b).orElseThrow();
        double windowGroups = (to.requests() - from.requests()) / 2.0;
        double cpuMs = (to.cpuNanos() - from.cpuNanos()) / 1e6 / windowGroups;
        double rate = windowGroups / ((to.atMillis() - from.atMillis()) / 1000.0);
        return new Result(name, cpuMs, rate, firstRequest - started, cpuAtFirst / 1_000_000, wall);
    }

    private static void print(int groups, int workers, List<Result> results) {
        double loop = results.stream().filter(r -> r.name().equals(LOOP)).mapToDouble(Result::cpuMsPerGroup).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%n%,d groups, %d workers, against a fixed-answer server (no latency)%n", groups, workers);
        System.out.printf(Locale.ROOT, "%-24s %14s %16s %10s %11s %16s %9s%n", "client", "CPU ms/group", "groups/CPU-s",
                "vs loop", "groups/s", "first request", "wall s");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-24s %14.3f %16.0f %9.2fx %11.0f %8d ms (%4d ms CPU) %7.1f%n", r.name(), r.cpuMsPerGroup(),
                    1000 / r.cpuMsPerGroup(), loop / r.cpuMsPerGroup(), r.groupsPerSecond(), r.toFirstRequestMillis(),
                    r.cpuToFirstRequestMillis(), r.wallSeconds());
        }
    }

    private static void printStartup(List<Result> startups) {
        System.out.printf(Locale.ROOT, "%nstart-up, %,d groups: from starting the JVM to the server's first request (median of %d, in turns)%n",
                STARTUP_GROUPS, STARTUP_ROUNDS);
        List<String> names = new ArrayList<>(List.of(LOOP));
        Arrays.stream(Launch.values()).map(launch -> launch.label).forEach(names::add);
        for (String name : names) {
            List<Result> runs = startups.stream().filter(r -> r.name().equals(name)).toList();
            long[] wall = runs.stream().mapToLong(Result::toFirstRequestMillis).sorted().toArray();
            long[] cpu = runs.stream().mapToLong(Result::cpuToFirstRequestMillis).sorted().toArray();
            System.out.printf(Locale.ROOT, "%-26s %6d ms wall, %6d ms CPU (runs: %s ms)%n", name, wall[wall.length / 2], cpu[cpu.length / 2],
                    Arrays.toString(wall));
        }
    }

    private static String get(HttpClient http, String uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}

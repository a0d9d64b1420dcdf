package zapi.grouproutes.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A large batch in a small heap (issue 23, goal 5: 1,000,000 groups in {@code -Xmx256m}, the heap flat after
 * warm-up). The product runs as users run it (bin/zapi-group-routes) with {@code -Xlog:gc} against
 * {@link FixedAnswerServer} (no latency), CSV sink, 8 workers; optionally the jdbc sink on its embedded H2 too.
 * The GC log gives the heap after each collection; the summary shows the collections before the batch begins
 * (start-up and the file's check pass, which keeps a key per distinct group) and then in each tenth of the batch:
 * how many, and the lowest and highest heap after one. The lowest is what survives a collection at best, the
 * live set plus what old garbage G1 has not reclaimed yet: flat means it does not grow.
 * <p>It exits non-zero when the run did not exit 0 or did not enrich every group, or when the lowest heap after
 * GC in the batch's last tenth is more than 16 MB above the lowest of its second tenth (the first is warm-up).
 * <pre>
 * BENCH=MemoryBenchmark bench/run                       # 1,000,000 groups, -Xmx256m, csv
 * BENCH=MemoryBenchmark bench/run 200000 256m csv,jdbc  # groups heap sinks
 * </pre>
 */
public final class MemoryBenchmark {

    private static final long FLAT_MB = 16;
    // [12.345s][info][gc] GC(12) Pause Young (Normal) (G1 Evacuation Pause) 120M->45M(256M) 3.456ms
    private static final Pattern GC = Pattern.compile("^\\[([0-9.]+)s\\].*GC\\((\\d+)\\) (Pause [A-Za-z]+(?: \\([A-Za-z ]+\\))?).* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private record Collection(double uptime, String kind, long beforeMb, long afterMb, long heapMb) {
    }

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String heap = args.length > 1 ? args[1] : "256m";
        String sinks = args.length > 2 ? args[2] : "csv";
        String loadBefore = LaunchedRun.load();
        Path dir = Files.createTempDirectory("zapi-memory");
        Path input = LaunchedRun.groups(dir.resolve("groups.txt"), groups);
        Path gcLog = dir.resolve("gc.log");
        LaunchedRun product;
        try (FixedAnswers server = new FixedAnswers(0)) {
            product = LaunchedRun.product(dir, "zapi-group-routes", input, server.base(), 8, "-Xmx" + heap + " -Xlog:gc:file=" + gcLog,
                    Map.of("ZAPI_SINKS", sinks)).exitedZero();
            if (server.stats().requests() < 2L * groups) {
                throw new NotMeasured("the product made " + server.stats().requests() + " requests for " + groups + " groups");
            }
        }
        String done = product.line("Batch groups.txt done: ");
        if (!done.contains("groups.txt done: " + groups + " groups (OK " + groups)) {
            throw new NotMeasured("not every group was enriched: " + done);
        }
        List<Collection> collections = collections(gcLog);
        if (collections.size() < 20) {
            throw new NotMeasured("only " + collections.size() + " collections in " + gcLog + ": too few to say whether the heap is flat");
        }
        // JVM uptime of the batch's start (the file's check pass is done) and end, from the product's own lines
        double begun = (product.loggedAt("Batch groups.txt started") - product.startedMillis()) / 1000.0;
        double end = (product.loggedAt("Batch groups.txt done: ") - product.startedMillis()) / 1000.0;
        System.out.printf(Locale.ROOT, "%n%,d groups in -Xmx%s, sinks %s: %.1f s to exit, %d collections (%d full); load %s before, %s after%n",
                groups, heap, sinks, product.wallSeconds(), collections.size(),
                collections.stream().filter(c -> c.kind().startsWith("Pause Full")).count(), loadBefore, LaunchedRun.load());
        System.out.println(done.substring(done.indexOf("Batch ")));
        System.out.printf(Locale.ROOT, "%-34s %12s %22s %12s%n", "JVM uptime", "collections", "heap after GC, lowest", "highest");
        row("start-up and the file's check", collections, 0, begun);
        long[] lowest = new long[10];
        for (int tenth = 0; tenth < 10; tenth++) {
            double from = begun + (end - begun) * tenth / 10;
            double to = tenth == 9 ? Double.MAX_VALUE : begun + (end - begun) * (tenth + 1) / 10;
            lowest[tenth] = row(String.format(Locale.ROOT, "batch %3d-%3d%% (%.0f-%.0f s)", tenth * 10, tenth * 10 + 10, from,
                    Math.min(to, end)), collections, from, to);
        }
        System.out.printf(Locale.ROOT, "peak before GC %d MB, peak after GC %d MB, heap committed at most %d MB%n",
                collections.stream().mapToLong(Collection::beforeMb).max().orElse(0), collections.stream().mapToLong(Collection::afterMb).max().orElse(0),
                collections.stream().mapToLong(Collection::heapMb).max().orElse(0));
        if (lowest[1] < 0 || lowest[9] < 0) {
            throw new NotMeasured("no collection in the second or the last tenth of the batch: " + gcLog);
        }
        long growth = lowest[9] - lowest[1];
        System.out.printf(Locale.ROOT, "goal: flat after warm-up (lowest heap after GC, the batch's last tenth against its second): %+d MB: %s%n",
                growth, growth <= FLAT_MB ? "met" : "missed");
        if (growth > FLAT_MB) {
            throw new NotMeasured("the heap grew by " + growth + " MB after warm-up; the GC log: " + gcLog);
        }
    }

    /** Prints the collections between two uptimes and returns the lowest heap after one of them (-1: none). */
    private static long row(String label, List<Collection> collections, double from, double to) {
        List<Collection> in = collections.stream().filter(c -> c.uptime() >= from && c.uptime() < to).toList();
        long lowest = in.stream().mapToLong(Collection::afterMb).min().orElse(-1);
        System.out.printf(Locale.ROOT, "%-34s %12d %19d MB %9d MB%n", label, in.size(), lowest, in.stream().mapToLong(Collection::afterMb).max().orElse(-1));
        return lowest;
    }

    private static List<Collection> collections(Path gcLog) throws IOException {
        List<Collection> all = new ArrayList<>();
        for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
            Matcher m = GC.matcher(line);
            if (m.find()) {
                all.add(new Collection(Double.parseDouble(m.group(1)), m.group(3), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                        Long.parseLong(m.group(6))));
            }
        }
        return all;
    }
}

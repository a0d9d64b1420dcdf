package zapi.grouproutes.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.CapturedLogs;

/**
 * Throughput of a whole batch run (inbox file → two Z-API calls per group → CSV report) against the
 * embedded simulator, for a grid of latency, concurrency and rate limit. Not a test: run it with
 * {@code bench/run} and read the table. Each case is one fresh application run in this JVM.
 *
 * <pre>
 * bench/run                        # the default grid
 * bench/run 100 2000 16 1000       # latency-ms groups concurrency requests-per-second [key=value ...]
 * </pre>
 */
public final class EnrichmentBenchmark {

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "%-10s %9s %11s %8s %9s %9s %10s %11s%n",
                "latency", "groups", "concurrency", "rate/s", "seconds", "groups/s", "calls/s", "peak heap");
        if (args.length >= 4) {
            Map<String, String> extra = new HashMap<>();
            for (int i = 4; i < args.length; i++) {
                String[] kv = args[i].split("=", 2);
                extra.put(kv[0], kv[1]);
            }
            run(Long.parseLong(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), extra);
            return;
        }
        // concurrency hides latency...
        run(100, 1000, 1, 10_000, Map.of());
        run(100, 2000, 4, 10_000, Map.of());
        run(100, 4000, 16, 10_000, Map.of());
        run(100, 4000, 64, 10_000, Map.of());
        // ...and the rate limit caps it, retries included: 20 requests/s is 10 groups/s
        run(100, 400, 16, 20, Map.of());
        // the old defaults (4 workers, 5 requests/s) against a 25 ms API
        run(25, 100, 4, 5, Map.of());
        // the ceiling of this machine: no latency, no limit
        run(0, 50_000, 8, 1_000_000, Map.of());
    }

    /** One batch run; prints its row and returns its groups per second. */
    static double run(long latencyMillis, int groups, int concurrency, int rate, Map<String, String> extra) throws Exception {
        Path dir = Files.createTempDirectory("zapi-bench");
        try (ZapiSimulator zapi = BenchBatch.simulator(SimulatorOptions.defaults().withLatencyMillis(latencyMillis))) {
            Map<String, String> settings = BenchBatch.settings(dir, zapi, groups);
            settings.put("zapi.inbox.poll-delay-ms", "50");
            settings.put("zapi.concurrency", String.valueOf(concurrency));
            settings.put("zapi.rate.requests-per-second", String.valueOf(rate));
            settings.put("zapi.sinks", "csv");
            settings.putAll(extra);
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            int exit;
            String log;
            try (CapturedLogs logs = new CapturedLogs()) {
                exit = ZapiGroupRoutes.run(settings);
                log = logs.text();
            }
            // the batch's own duration, from its summary line: file picked up to report published
            // (Camel's start-up and the inbox read lock are not enrichment)
            Matcher done = Pattern.compile("Batch bench.txt done: (\\d+) groups \\(OK (\\d+), [^)]*\\) in ([0-9.]+) s;").matcher(log);
            if (exit != 0) {
                throw new NotMeasured("the batch run exited with " + exit);
            }
            if (!done.find()) {
                throw new NotMeasured("no batch summary in the log: the batch did not complete");
            }
            // every group is OK against the simulator: a run whose groups FAILED (or were REJECTED) measured failures
            if (Long.parseLong(done.group(1)) != groups || Long.parseLong(done.group(2)) != groups) {
                throw new NotMeasured("of " + groups + " groups the batch had " + done.group(1) + ", " + done.group(2) + " OK: "
                        + done.group().substring(done.group().indexOf('(')));
            }
            double seconds = Double.parseDouble(done.group(3));
            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf(Locale.ROOT, "%-10s %9d %11d %8d %9.1f %9.0f %10.0f %9d MB%n", latencyMillis + " ms", groups, concurrency, rate,
                    seconds, groups / seconds, zapi.requestCount() / seconds, peakHeap / (1024 * 1024));
            return groups / seconds;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private EnrichmentBenchmark() {
    }
}

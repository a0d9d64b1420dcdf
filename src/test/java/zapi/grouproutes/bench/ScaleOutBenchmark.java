package zapi.grouproutes.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;

import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.EmbeddedKafka;
import zapi.grouproutes.support.TestDatabase;

/**
 * Does throughput grow with instances on one Kafka topic, until a shared budget caps it? 1, 2 and 3 service-mode
 * applications (CamelContexts in this JVM, as the overlay deploy/kubernetes/overlays/postgres-kafka runs pods) in one
 * consumer group on one topic of 8 partitions, the jdbc sink on PostgreSQL, against the simulator at 150 ms: first
 * with no rate limit (each instance's own budget, far above what it can do), then under one shared limit
 * (zapi.rate.scope=cluster, a fixed rate for all of them together). Measured as records committed per second (after
 * every sink) over {@code measure} seconds, {@code warmup} seconds after the first request; the load average of the
 * machine at the start and end of the measurement is printed with each row, as other work shares it. Not a test:
 *
 * <pre>
 * BENCH=ScaleOutBenchmark bench/run                                  # concurrency 8 per instance; no limit, then 40/s shared
 * BENCH=ScaleOutBenchmark bench/run concurrency=8 budgets=none,40,100 warmup=20 measure=40 groups=8000
 * </pre>
 */
public final class ScaleOutBenchmark {

    private static final long LATENCY_MILLIS = 150;
    private static final int PARTITIONS = 8;
    private static int runs;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("concurrency", "8", "budgets", "none,40", "warmup", "20", "measure", "40", "groups", "8000"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv[1]);
        }
        int concurrency = Integer.parseInt(options.get("concurrency"));
        int groups = Integer.parseInt(options.get("groups"));
        long warmup = Long.parseLong(options.get("warmup"));
        long measure = Long.parseLong(options.get("measure"));
        List<String> table = new ArrayList<>();
        try (EmbeddedKafka kafka = new EmbeddedKafka().start(); Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            // none: each instance its own budget, far above what it can do; a number: one budget shared by all
            for (String budget : options.get("budgets").split(",")) {
                for (int instances = 1; instances <= 3; instances++) {
                    table.add(run(kafka, admin, instances, concurrency, budget, groups, warmup, measure));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%d cores; simulator %d ms; topic of %d partitions; concurrency %d per instance; PostgreSQL jdbc sink%n"
                + "| instances | rate limit (requests/s) | groups/s | requests/s | load average (start → end) |%n", Runtime.getRuntime()
                .availableProcessors(), LATENCY_MILLIS, PARTITIONS, concurrency);
        table.forEach(System.out::println);
    }

    static String run(EmbeddedKafka kafka, Admin admin, int instances, int concurrency, String budget, int groups, long warmup, long measure)
            throws Exception {
        String name = "scale-" + (++runs);
        BrokerPathBenchmark.load(kafka, admin, name + ".ids", PARTITIONS, groups);
        Path dir = Files.createTempDirectory("zapi-scale-bench");
        try (TestDatabase database = TestDatabase.postgres();
                ZapiSimulator zapi = BenchBatch.simulator(SimulatorOptions.defaults().withLatencyMillis(LATENCY_MILLIS))) {
            List<ZapiGroupRoutes.Application> apps = new ArrayList<>();
            List<CompletableFuture<Integer>> exits = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                Map<String, String> settings = BenchBatch.settings(dir.resolve("instance-" + i), zapi, 0);
                settings.putAll(database.settings());
                settings.put("zapi.mode", "service");
                settings.put("zapi.sources", "kafka");
                settings.put("zapi.sinks", "jdbc");
                settings.put("zapi.kafka.brokers", kafka.bootstrapServers());
                settings.put("zapi.kafka.topic", name + ".ids");
                settings.put("zapi.kafka.rejected-topic", name + ".rejected");
                settings.put("zapi.kafka.group-id", name);
                settings.put("zapi.concurrency", String.valueOf(concurrency));
                settings.put("zapi.rate.scope", budget.equals("none") ? "instance" : "cluster");
                settings.put("zapi.rate.requests-per-second", budget.equals("none") ? "1000000" : budget);
                // several contexts in one JVM: one port each would do, but nothing here reads them
                settings.put("zapi.observe.enabled", "false");
                ZapiGroupRoutes.Application app = new ZapiGroupRoutes.Application(settings);
                apps.add(app);
                exits.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return app.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (zapi.requestCount() == 0) {
                running(exits, "before any request");
                if (System.nanoTime() > deadline) {
                    throw new NotMeasured(name + ": no request reached the simulator in 5 minutes");
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            TimeUnit.SECONDS.sleep(warmup);
            String loadBefore = load();
            long startNanos = System.nanoTime();
            long startCommitted = BrokerPathBenchmark.committed(admin, name);
            int startRequests = zapi.requestCount();
            TimeUnit.SECONDS.sleep(measure);
            long committed = BrokerPathBenchmark.committed(admin, name) - startCommitted;
            int requests = zapi.requestCount() - startRequests;
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            String loadAfter = load();
            running(exits, "during the measurement");
            if (BrokerPathBenchmark.committed(admin, name) >= groups) {
                throw new NotMeasured(name + ": the topic ran dry during the measurement; more groups");
            }
            String row = String.format(Locale.ROOT, "| %d | %s | **%.1f** | %.1f | %s → %s |", instances, budget.equals("none") ? "none" : budget + ", shared",
                    committed / seconds, requests / seconds, loadBefore, loadAfter);
            System.out.println(row);
            for (ZapiGroupRoutes.Application app : apps) {
                app.stop();
            }
            for (CompletableFuture<Integer> exit : exits) {
                exit.get(90, TimeUnit.SECONDS);
            }
            return row;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void running(List<CompletableFuture<Integer>> exits, String when) {
        for (int i = 0; i < exits.size(); i++) {
            if (exits.get(i).isDone()) {
                throw new NotMeasured("instance " + i + "'s run " + RateLimitBenchmark.ended(exits.get(i)) + " " + when);
            }
        }
    }

    /** The 1-minute load average, from /proc/loadavg (Linux); "?" elsewhere. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private ScaleOutBenchmark() {
    }
}

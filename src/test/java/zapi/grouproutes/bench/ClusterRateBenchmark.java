package zapi.grouproutes.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import zapi.grouproutes.app.RunControl;
import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.TestDatabase;
import zapi.grouproutes.zapi.RequestRate;

/**
 * Do several instances with {@code zapi.rate.scope=cluster} and {@code auto} (the defaults on PostgreSQL and
 * MariaDB) find a hidden limit together? {@link RateLimitBenchmark}'s measure for one instance, with
 * {@code instances} applications (three CamelContexts in this JVM, default settings, sinks csv,jdbc) on one
 * database, each with a batch of its own groups, against one simulator: 150 ms latency and a hidden token
 * bucket of rate R holding one second's worth. Measured at the simulator, in the steady state: successful
 * (non-429) requests per second of all instances together over R, and the share of requests answered 429,
 * over {@code measure} seconds after {@code warmup} seconds from the first request. Not a test:
 *
 * <pre>
 * BENCH=ClusterRateBenchmark bench/run                         # R = 10, 40, 150 on PostgreSQL, 3 instances
 * BENCH=ClusterRateBenchmark bench/run 40 db=mariadb instances=2 warmup=30 measure=60
 * </pre>
 */
public final class ClusterRateBenchmark {

    private static final long LATENCY_MILLIS = 150;

    private record Snapshot(long nanos, int requests, int limited) {
        int ok() {
            return requests - limited;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> cases = new ArrayList<>();
        String db = "postgres";
        int instances = 3;
        long warmup = 40;
        long measure = 60;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length == 1) {
                cases.add(Integer.parseInt(arg));
            } else if (kv[0].equals("db")) {
                db = kv[1];
            } else if (kv[0].equals("instances")) {
                instances = Integer.parseInt(kv[1]);
            } else if (kv[0].equals("warmup")) {
                warmup = Long.parseLong(kv[1]);
            } else if (kv[0].equals("measure")) {
                measure = Long.parseLong(kv[1]);
            }
        }
        if (cases.isEmpty()) {
            cases = List.of(10, 40, 150);
        }
        List<String> table = new ArrayList<>();
        for (int limit : cases) {
            table.add(run(limit, db, instances, warmup, measure));
        }
        System.out.printf(Locale.ROOT, "%nhidden limit R | database | instances | successful/s | / R | 429 share | 429 share, whole run | rates at the end%n");
        table.forEach(System.out::println);
    }

    static String run(int limit, String db, int instances, long warmup, long measure) throws Exception {
        Path dir = Files.createTempDirectory("zapi-cluster-bench");
        SimulatorOptions options = SimulatorOptions.defaults().withLatencyMillis(LATENCY_MILLIS).withRequestsPerSecond(limit);
        try (TestDatabase database = db.equals("mariadb") ? TestDatabase.mariadb() : TestDatabase.postgres();
                ZapiSimulator zapi = BenchBatch.simulator(options)) {
            // enough groups that every batch outlasts the measurement (two requests a group): the runs are stopped then
            int groups = (int) (limit / 2.0 * (warmup + measure) * 1.5 / instances) + 50;
            List<ZapiGroupRoutes.Application> apps = new ArrayList<>();
            List<CompletableFuture<Integer>> exits = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                ZapiGroupRoutes.Application app = new ZapiGroupRoutes.Application(settings(dir.resolve("instance-" + i), zapi, database, i, groups));
                apps.add(app);
                exits.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return app.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            long startDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (zapi.requestCount() == 0) {
                // an instance that could not start (a database it cannot reach, a setting) sends nothing, ever
                running(exits, limit, "before any request reached the simulator");
                if (System.nanoTime() > startDeadline) {
                    throw new NotMeasured("R = " + limit + ": no request reached the simulator in 5 minutes");
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            Snapshot first = snapshot(zapi);
            System.out.printf(Locale.ROOT, "%nR = %d, %d instances on %s, latency %d ms, %d groups each%n  second  rates  ok/s  429/s%n",
                    limit, instances, database.kind(), LATENCY_MILLIS, groups);
            Snapshot start = follow(zapi, apps, first, first.nanos() + TimeUnit.SECONDS.toNanos(warmup));
            Snapshot end = follow(zapi, apps, first, start.nanos() + TimeUnit.SECONDS.toNanos(measure));
            // every instance sent for the whole measurement: one that ended early leaves fewer sharing the limit
            running(exits, limit, "before the measurement ended; more groups, or a shorter warmup/measure");
            double okPerSecond = (end.ok() - start.ok()) / ((end.nanos() - start.nanos()) / 1e9);
            int requests = end.requests() - start.requests();
            double limitedShare = requests == 0 ? 0 : (end.limited() - start.limited()) / (double) requests;
            double wholeShare = end.requests() == 0 ? 0 : end.limited() / (double) end.requests();
            String row = String.format(Locale.ROOT, "| %d | %s | %d | %.1f | **%.2f** | **%.2f%%** | %.2f%% | %s |", limit, database.kind(), instances,
                    okPerSecond, okPerSecond / limit, 100 * limitedShare, 100 * wholeShare, rates(apps));
            System.out.println(row);
            for (ZapiGroupRoutes.Application app : apps) {
                app.stop();
            }
            for (CompletableFuture<Integer> exit : exits) {
                // stopped mid-batch on purpose: exit 2 (INCOMPLETE); anything else is a run that went wrong
                int code = exit.get(60, TimeUnit.SECONDS);
                if (code != RunControl.EXIT_BATCH_STOPPED && code != 0) {
                    throw new NotMeasured("R = " + limit + ": an instance exited " + code + " when stopped");
                }
            }
            return row;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Throws when any instance's run is over already: the runs are stopped only once measured. */
    private static void running(List<CompletableFuture<Integer>> exits, int limit, String when) {
        for (int i = 0; i < exits.size(); i++) {
            if (exits.get(i).isDone()) {
                throw new NotMeasured("R = " + limit + ": instance " + i + "'s run " + RateLimitBenchmark.ended(exits.get(i)) + " " + when);
            }
        }
    }

    /** One instance's batch: groups of its own (the {@code instance}-th block of IDs), the defaults, the shared database. */
    private static Map<String, String> settings(Path dir, ZapiSimulator zapi, TestDatabase database, int instance, int groups) throws Exception {
        // each instance its own groups: the instance's number is part of every ID
        Map<String, String> settings = BenchBatch.settings(dir, zapi, groups, "120363" + String.format(Locale.ROOT, "%02d", instance) + "%010d1-group%n");
        settings.putAll(database.settings());
        return settings;
    }

    /** Follows the runs, a line per 5 s, until {@code untilNanos}; returns the snapshot then. */
    private static Snapshot follow(ZapiSimulator zapi, List<ZapiGroupRoutes.Application> apps, Snapshot first, long untilNanos)
            throws InterruptedException {
        Snapshot last = snapshot(zapi);
        while (System.nanoTime() < untilNanos) {
            TimeUnit.SECONDS.sleep(1);
            Snapshot now = snapshot(zapi);
            if (now.nanos() - last.nanos() >= TimeUnit.MILLISECONDS.toNanos(4_900)) {
                double seconds = (now.nanos() - last.nanos()) / 1e9;
                System.out.printf(Locale.ROOT, "  %6.0f  %s  %5.1f  %5.1f%n", (now.nanos() - first.nanos()) / 1e9, rates(apps),
                        (now.ok() - last.ok()) / seconds, (now.limited() - last.limited()) / seconds);
                last = now;
            }
        }
        return snapshot(zapi);
    }

    private static Snapshot snapshot(ZapiSimulator zapi) {
        // 429s first: a request counted as limited is always counted as a request too
        int limited = zapi.rateLimitedCount();
        return new Snapshot(System.nanoTime(), Math.max(zapi.requestCount(), limited), limited);
    }

    /** Each instance's rate in force, as its gauge reads it. */
    private static String rates(List<ZapiGroupRoutes.Application> apps) {
        return apps.stream().map(app -> {
            RequestRate rate = app.camelContext() == null ? null : app.camelContext().getRegistry().lookupByNameAndType("requestRate", RequestRate.class);
            return rate == null ? "-" : String.format(Locale.ROOT, "%.1f", rate.perSecond());
        }).collect(Collectors.joining(" / "));
    }

    private ClusterRateBenchmark() {
    }
}

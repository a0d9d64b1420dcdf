package zapi.grouproutes.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import zapi.grouproutes.app.RunControl;
import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.zapi.RequestRate;

/**
 * Does {@code zapi.rate.requests-per-second=auto} find a hidden limit? The simulator answers after 150 ms
 * and limits requests with a token bucket of rate R (capacity: one second's worth, or {@code burst=N});
 * the application runs one batch with its default rate and concurrency settings. Each case is measured in
 * the steady state, at the simulator: successful (non-429) requests per second over R, and the share of
 * requests answered 429, over {@code measure} seconds after {@code warmup} seconds from the first request.
 * The drop case starts at R = 40 and drops to 10 once half the batch's groups are done; its steady state is
 * measured from {@code warmup} after the drop, and the transient between is reported too. The run is
 * stopped (a graceful stop) once measured. Not a test:
 *
 * <pre>
 * BENCH=RateLimitBenchmark bench/run                      # R = 5, 10, 40, 150, 200 and 40 to 10
 * BENCH=RateLimitBenchmark bench/run 40 40:10 burst=4     # some cases, with a 4-request bucket
 * BENCH=RateLimitBenchmark bench/run burst=10%            # every case with a bucket of a tenth of R
 * BENCH=RateLimitBenchmark bench/run 200 warmup=30 measure=30 zapi.concurrency=16
 * </pre>
 */
public final class RateLimitBenchmark {

    private static final long LATENCY_MILLIS = 150;

    private record Snapshot(long nanos, int requests, int limited) {
        int ok() {
            return requests - limited;
        }
    }

    private record Window(double okPerSecond, double limitedShare) {
        static Window between(Snapshot from, Snapshot to) {
            int requests = to.requests() - from.requests();
            double seconds = (to.nanos() - from.nanos()) / 1e9;
            return new Window((to.ok() - from.ok()) / seconds, requests == 0 ? 0 : (to.limited() - from.limited()) / (double) requests);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> cases = new ArrayList<>();
        Map<String, String> settings = new HashMap<>();
        String burst = "";
        long warmup = 40;
        long measure = 60;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length == 1) {
                cases.add(arg);
            } else if (kv[0].equals("burst")) {
                burst = kv[1];
            } else if (kv[0].equals("warmup")) {
                warmup = Long.parseLong(kv[1]);
            } else if (kv[0].equals("measure")) {
                measure = Long.parseLong(kv[1]);
            } else {
                settings.put(kv[0], kv[1]);
            }
        }
        if (cases.isEmpty()) {
            cases = List.of("5", "10", "40", "150", "200", "40:10");
        }
        List<String> table = new ArrayList<>();
        for (String limit : cases) {
            String[] r = limit.split(":");
            table.add(run(Integer.parseInt(r[0]), r.length > 1 ? Integer.parseInt(r[1]) : 0, burst, warmup, measure, settings));
        }
        System.out.printf(Locale.ROOT, "%nhidden limit R | burst | successful/s | / R | 429 share | 429 share, whole run | rate at the end | workers at the end%n");
        table.forEach(System.out::println);
    }

    /** One case; returns its table row. */
    static String run(int limit, int dropTo, String burstSetting, long warmup, long measure, Map<String, String> extra) throws Exception {
        Path dir = Files.createTempDirectory("zapi-rate-bench");
        int burst = burst(burstSetting, limit);
        SimulatorOptions options = SimulatorOptions.defaults().withLatencyMillis(LATENCY_MILLIS).withRequestsPerSecond(limit).withBurst(burst);
        try (ZapiSimulator zapi = BenchBatch.simulator(options)) {
            // enough groups that the batch outlasts the measurement (each group is two requests): the run is stopped then
            int groups = dropTo > 0 ? (int) (limit / 2 * (warmup + 20) * 2) : (int) (limit / 2.0 * (warmup + measure) * 1.5) + 50;
            Map<String, String> settings = BenchBatch.settings(dir, zapi, groups);
            // the default sinks (csv,jdbc), with an H2 database of this run's own
            settings.put("zapi.db.url", "jdbc:h2:file:" + dir.resolve("db").resolve("zapi-groups").toAbsolutePath());
            settings.putAll(extra);
            ZapiGroupRoutes.Application app = new ZapiGroupRoutes.Application(settings);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return app.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long startDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (zapi.requestCount() == 0) {
                if (exit.isDone() || System.nanoTime() > startDeadline) {
                    throw new NotMeasured("R = " + limit + ": no request reached the simulator before the run " + ended(exit));
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            Snapshot first = snapshot(zapi);
            String name = dropTo > 0 ? limit + " → " + dropTo : String.valueOf(limit);
            System.out.printf(Locale.ROOT, "%nR = %s, burst %s, latency %d ms, %d groups%n  second  limit  rate  workers  ok/s  429/s%n",
                    name, burstSetting.isEmpty() ? "R" : burstSetting, LATENCY_MILLIS, groups);
            Snapshot start;
            int limitNow = limit;
            if (dropTo > 0) {
                // halfway: half the groups' requests answered
                Snapshot last = first;
                while (snapshot(zapi).ok() < groups && !exit.isDone()) {
                    last = follow(zapi, app, first, last, limitNow);
                }
                zapi.limitRequestsPerSecond(dropTo, burst(burstSetting, dropTo));
                limitNow = dropTo;
                Snapshot drop = snapshot(zapi);
                System.out.printf(Locale.ROOT, "  the limit drops to %d after %.0f s%n", dropTo, (drop.nanos() - first.nanos()) / 1e9);
                start = until(zapi, app, first, drop, drop.nanos() + TimeUnit.SECONDS.toNanos(warmup), limitNow, exit);
                Window transient_ = Window.between(drop, start);
                System.out.printf(Locale.ROOT, "  the %d s after the drop: %.1f successful/s, %.1f%% 429%n", warmup, transient_.okPerSecond(),
                        100 * transient_.limitedShare());
            } else {
                start = until(zapi, app, first, first, first.nanos() + TimeUnit.SECONDS.toNanos(warmup), limitNow, exit);
            }
            Snapshot end = until(zapi, app, first, start, start.nanos() + TimeUnit.SECONDS.toNanos(measure), limitNow, exit);
            if (exit.isDone()) {
                // the batch ran out, or stopped, before the measurement ended: what follows would be its tail, not a steady state
                throw new NotMeasured("R = " + limit + ": the run " + ended(exit) + " before the measurement ended; more groups, or a shorter warmup/measure");
            }
            Window steady = Window.between(start, end);
            Window whole = Window.between(new Snapshot(first.nanos(), 0, 0), end);
            String row = String.format(Locale.ROOT, "| %s | %s | %.1f | **%.2f** | **%.2f%%** | %.2f%% | %.1f | %d |", name,
                    burstSetting.isEmpty() ? "R" : burstSetting, steady.okPerSecond(), steady.okPerSecond() / limitNow,
                    100 * steady.limitedShare(), 100 * whole.limitedShare(), rate(app), workers(app));
            System.out.println(row);
            app.stop();
            // stopped mid-batch on purpose: the batch ends INCOMPLETE, exit 2; anything else is a run that went wrong
            int code = exit.get(60, TimeUnit.SECONDS);
            if (code != RunControl.EXIT_BATCH_STOPPED && code != 0) {
                throw new NotMeasured("R = " + limit + ": the run exited " + code + " when stopped");
            }
            return row;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** "ended with exit code N" or "failed: ..." for a run that is over; "is still running" otherwise. */
    static String ended(CompletableFuture<Integer> exit) {
        if (!exit.isDone()) {
            return "is still running";
        }
        try {
            return "ended with exit code " + exit.join();
        } catch (RuntimeException e) {
            return "failed: " + e.getCause();
        }
    }

    /** Follows the run, a line per 5 s, until {@code untilNanos}; returns the snapshot then. */
    private static Snapshot until(ZapiSimulator zapi, ZapiGroupRoutes.Application app, Snapshot first, Snapshot from, long untilNanos,
            int limit, CompletableFuture<Integer> exit) throws InterruptedException {
        Snapshot last = from;
        while (System.nanoTime() < untilNanos && !exit.isDone()) {
            last = follow(zapi, app, first, last, limit);
        }
        return snapshot(zapi);
    }

    /** Waits a second; prints a line every 5 s of the run. */
    private static Snapshot follow(ZapiSimulator zapi, ZapiGroupRoutes.Application app, Snapshot first, Snapshot last, int limit)
            throws InterruptedException {
        TimeUnit.SECONDS.sleep(1);
        Snapshot now = snapshot(zapi);
        if (now.nanos() - last.nanos() < TimeUnit.MILLISECONDS.toNanos(4_900)) {
            return last;
        }
        Window window = Window.between(last, now);
        System.out.printf(Locale.ROOT, "  %6.0f  %5d  %5.1f  %7d  %5.1f  %5.1f%n", (now.nanos() - first.nanos()) / 1e9, limit, rate(app),
                workers(app), window.okPerSecond(), window.okPerSecond() * window.limitedShare() / Math.max(1e-9, 1 - window.limitedShare()));
        return now;
    }

    /** The hidden bucket's capacity: a number of requests, a share of R ({@code 10%}), or empty for R. */
    private static int burst(String setting, int limit) {
        if (setting.endsWith("%")) {
            return (int) Math.max(1, Math.ceil(limit * Double.parseDouble(setting.substring(0, setting.length() - 1)) / 100));
        }
        return setting.isEmpty() ? 0 : Integer.parseInt(setting);
    }

    private static Snapshot snapshot(ZapiSimulator zapi) {
        // 429s first: a request counted as limited is always counted as a request too
        int limited = zapi.rateLimitedCount();
        return new Snapshot(System.nanoTime(), Math.max(zapi.requestCount(), limited), limited);
    }

    private static double rate(ZapiGroupRoutes.Application app) {
        RequestRate rate = app.camelContext() == null ? null : app.camelContext().getRegistry().lookupByNameAndType("requestRate", RequestRate.class);
        return rate == null ? Double.NaN : rate.perSecond();
    }

    private static int workers(ZapiGroupRoutes.Application app) {
        Object pool = app.camelContext() == null ? null : app.camelContext().getRegistry().lookupByName("enrichmentWorkers");
        return pool instanceof ThreadPoolExecutor executor ? executor.getMaximumPoolSize() : -1;
    }

    private RateLimitBenchmark() {
    }
}

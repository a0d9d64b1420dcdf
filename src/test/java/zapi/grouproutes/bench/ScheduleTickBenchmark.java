package zapi.grouproutes.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;

import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.CapturedLogs;

/**
 * A schedule tick over the database's groups (ZAPI_MODE=batch ZAPI_SOURCES=schedule) against the
 * zero-latency simulator: a 1,000-group tick and a 100,000-group one in the same JVM, so the peak heap
 * of the two can be compared. Run it in a small heap to show the list streams:
 *
 * <pre>
 * JAVA_OPTS=-Xmx256m BENCH=ScheduleTickBenchmark bench/run            # 1,000 and 100,000 groups
 * JAVA_OPTS=-Xmx256m BENCH=ScheduleTickBenchmark bench/run 250000     # other sizes
 * </pre>
 */
public final class ScheduleTickBenchmark {

    private static final String INSTANCE = "bench";
    private static final String TOKEN = "bench-token";
    private static final String CLIENT_TOKEN = "bench-client-token";

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "%9s %9s %9s %16s %10s%n", "groups", "seconds", "groups/s", "live after GC", "max heap");
        if (args.length == 0) {
            run(1_000);
            run(100_000);
        }
        for (String size : args) {
            run(Integer.parseInt(size));
        }
    }

    static void run(int groups) throws Exception {
        Path dir = Files.createTempDirectory("zapi-tick-bench");
        String url = "jdbc:h2:file:" + dir.resolve("db").resolve("zapi-groups").toAbsolutePath();
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start()) {
            seed(url, groups);
            Map<String, String> settings = new HashMap<>();
            settings.put("zapi.mode", "batch");
            settings.put("zapi.sources", "schedule");
            settings.put("zapi.sinks", "csv,jdbc");
            settings.put("zapi.schedule.name", "bench");
            settings.put("zapi.db.url", url);
            settings.put("zapi.report-dir", dir.resolve("reports").toString());
            settings.put("zapi.base-url", zapi.baseUrl().toString());
            settings.put("zapi.instance-id", INSTANCE);
            settings.put("zapi.token", TOKEN);
            settings.put("zapi.client-token", CLIENT_TOKEN);
            settings.put("zapi.concurrency", "8");
            settings.put("zapi.rate.requests-per-second", "1000000");
            // what stays live: the heap right after each collection, sampled through the run (a sum of the
            // pools' own peaks would add up moments that never coincide)
            long[] live = new long[1];
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    long used = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                            .map(MemoryPoolMXBean::getCollectionUsage).filter(u -> u != null).mapToLong(u -> u.getUsed()).sum();
                    live[0] = Math.max(live[0], used);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            System.gc();
            sampler.start();
            int exit;
            String log;
            try (CapturedLogs logs = new CapturedLogs()) {
                exit = ZapiGroupRoutes.run(settings);
                log = logs.text();
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            Matcher done = Pattern.compile("Batch schedule:bench done: (\\d+) groups .* in ([0-9.]+) s;").matcher(log);
            if (exit != 0 || !done.find() || Long.parseLong(done.group(1)) != groups) {
                throw new IllegalStateException("the tick did not complete with every group (exit " + exit + ")");
            }
            double seconds = Double.parseDouble(done.group(2));
            System.out.printf(Locale.ROOT, "%9d %9.1f %9.0f %13d MB %7d MB%n", groups, seconds, groups / seconds, live[0] / (1024 * 1024),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The managed groups, as earlier batches would have stored them (no link yet: nothing to compare). */
    private static void seed(String url, int groups) throws Exception {
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement s = c.prepareStatement("INSERT INTO zapi_group (group_id, last_status, first_seen_at, last_fetched_at)"
                        + " VALUES (?, 'OK', ?, ?)")) {
            c.setAutoCommit(false);
            Timestamp at = Timestamp.from(Instant.now().minusSeconds(86_400));
            for (int i = 0; i < groups; i++) {
                s.setString(1, String.format(Locale.ROOT, "120363%012d1-group", i));
                s.setTimestamp(2, at);
                s.setTimestamp(3, at);
                s.addBatch();
                if (i % 5_000 == 4_999) {
                    s.executeBatch();
                }
            }
            s.executeBatch();
            c.commit();
        }
    }

    private ScheduleTickBenchmark() {
    }
}

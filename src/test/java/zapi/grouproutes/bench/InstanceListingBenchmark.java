package zapi.grouproutes.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.simulator.ZapiSimulator.PageRequest;
import zapi.grouproutes.support.CapturedLogs;

/**
 * A schedule tick over the instance's own listing (ZAPI_SCHEDULE_GROUPS=instance, GET /groups page by page)
 * of 20,000 groups against the simulator, once per page size, side by side in one JVM. For each it measures:
 * <ul>
 * <li><b>streaming</b>, from the simulator's request timeline: for every page after the first, how many groups
 * of the earlier pages still had no link request when it was answered (more than 0: the page was read while
 * their enrichment went on, not after it), and the longest pause between two link requests (a page that
 * made enrichment wait shows there);</li>
 * <li><b>memory</b>, from the collector's own reports: the heap after each collection, highest in the first
 * and in the second half of the tick (flat: the second no higher than the first, give or take a page);</li>
 * <li>the tick's time and its page requests (each one a permit of the request budget).</li>
 * </ul>
 * The sinks are csv and jdbc, on an H2 file whose commits are not each forced to disk.
 * Any tick that did not complete with every group, made no collection, or read a page only after the earlier
 * pages' groups were all enriched, is {@link NotMeasured}: the run exits 1.
 *
 * <pre>
 * JAVA_OPTS=-Xmx256m BENCH=InstanceListingBenchmark bench/run                       # 20,000 groups; 100, 500, 1000, 2000
 * JAVA_OPTS=-Xmx256m BENCH=InstanceListingBenchmark bench/run 20000 10 100 500      # groups, latency ms, page sizes
 * </pre>
 */
public final class InstanceListingBenchmark {

    private static final String INSTANCE = "bench";
    private static final String TOKEN = "bench-token";
    private static final String CLIENT_TOKEN = "bench-client-token";
    /**
     * Workers: the most zapi.concurrency.max allows. On a machine whose cores other jobs share, each hand-off
     * between a worker and the simulator waits for a core, and only more of them in flight keep the tick short.
     */
    private static final int WORKERS = 64;

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 10;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100, 500, 1000, 2000);
        }
        System.out.printf(Locale.ROOT, "%d groups (and %d other chats), simulator latency %d ms, %d workers, max heap %d MB%n", groups,
                (groups + 4) / 5, latency, WORKERS, Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.printf(Locale.ROOT, "%9s %8s %9s %6s %12s %12s %10s %10s %13s %13s %4s%n", "page size", "seconds", "groups/s", "pages",
                "page ms p50", "page ms max", "min wait", "longest", "heap 1st half", "heap 2nd half", "GCs");
        System.out.printf(Locale.ROOT, "%9s %8s %9s %6s %12s %12s %10s %10s %13s %13s %4s%n", "", "", "", "", "", "", "(groups)",
                "pause ms", "after GC MB", "after GC MB", "");
        List<String> misses = new ArrayList<>();
        for (int size : sizes) {
            misses.addAll(run(groups, latency, size));
        }
        if (!misses.isEmpty()) {
            throw new NotMeasured(String.join("; ", misses));
        }
    }

    static List<String> run(int groups, long latency, int pageSize) throws Exception {
        Path dir = Files.createTempDirectory("zapi-instance-bench");
        List<String> misses = new ArrayList<>();
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN,
                SimulatorOptions.defaults().withLatencyMillis(latency)).start()) {
            zapi.joinGroups(1_000_000, groups);
            Map<String, String> settings = new HashMap<>();
            settings.put("zapi.mode", "batch");
            settings.put("zapi.sources", "schedule");
            settings.put("zapi.schedule.name", "bench");
            settings.put("zapi.schedule.groups", "instance");
            settings.put("zapi.instance.page-size", String.valueOf(pageSize));
            settings.put("zapi.sinks", "csv,jdbc");
            // each commit not forced to disk (the product's default for a file is WRITE_DELAY=0): on a machine whose disk
            // other jobs share, fsync would be what is measured, and this measures the listing
            settings.put("zapi.db.url", "jdbc:h2:file:" + dir.resolve("db").resolve("zapi-groups").toAbsolutePath() + ";WRITE_DELAY=500");
            settings.put("zapi.report-dir", dir.resolve("reports").toString());
            settings.put("zapi.base-url", zapi.baseUrl().toString());
            settings.put("zapi.instance-id", INSTANCE);
            settings.put("zapi.token", TOKEN);
            settings.put("zapi.client-token", CLIENT_TOKEN);
            settings.put("zapi.concurrency", String.valueOf(WORKERS));
            settings.put("zapi.rate.requests-per-second", "1000000");

            System.gc();
            HeapAfterGc heap = HeapAfterGc.listen();
            long started = System.nanoTime();
            int exit;
            String log;
            try (CapturedLogs logs = new CapturedLogs()) {
                exit = ZapiGroupRoutes.run(settings);
                log = logs.text();
            } finally {
                heap.stop();
            }
            long ended = System.nanoTime();

            Matcher done = Pattern.compile("Batch schedule:bench done: (\\d+) groups .* in ([0-9.]+) s;").matcher(log);
            if (exit != 0 || !done.find() || Long.parseLong(done.group(1)) != groups) {
                misses.add("page size " + pageSize + ": the tick did not complete with every group (exit " + exit + ")");
                return misses;
            }
            double seconds = Double.parseDouble(done.group(2));
            List<PageRequest> pages = zapi.pageRequests();
            if (pages.size() < 2) {
                misses.add("page size " + pageSize + ": " + pages.size() + " page requests, nothing to see between pages");
                return misses;
            }
            // the groups of pages 1..n-1 that had no link request yet when page n was answered
            long minWaiting = Long.MAX_VALUE;
            long listedBefore = 0;
            List<Long> pageMillis = new ArrayList<>();
            for (PageRequest page : pages) {
                if (page.page() > 1) {
                    minWaiting = Math.min(minWaiting, listedBefore - page.linkRequestsBefore());
                }
                listedBefore += page.groups();
                pageMillis.add((page.answeredNanos() - page.arrivedNanos()) / 1_000_000);
            }
            pageMillis.sort(Comparator.naturalOrder());
            long middle = started + (ended - started) / 2;
            long firstHalf = heap.highest(started, middle);
            long secondHalf = heap.highest(middle, ended);
            System.out.printf(Locale.ROOT, "%9d %8.1f %9.0f %6d %12d %12d %10d %10d %13d %13d %4d%n", pageSize, seconds, groups / seconds,
                    pages.size(), pageMillis.get(pageMillis.size() / 2), pageMillis.get(pageMillis.size() - 1), minWaiting,
                    zapi.longestPauseBetweenLinkRequests().toMillis(), firstHalf / (1024 * 1024), secondHalf / (1024 * 1024), heap.count());
            if (minWaiting <= 0) {
                misses.add("page size " + pageSize + ": a page was read only once every group before it was enriched (not streamed)");
            }
            if (heap.count(started, middle) == 0 || heap.count(middle, ended) == 0) {
                misses.add("page size " + pageSize + ": no collection in one half of the tick, so no heap after GC to compare");
            } else if (secondHalf > firstHalf + 32L * 1024 * 1024) {
                misses.add("page size " + pageSize + ": the heap after GC grew from " + firstHalf / (1024 * 1024) + " MB to "
                        + secondHalf / (1024 * 1024) + " MB over the tick (not flat)");
            }
            return misses;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The heap after every collection, as the collectors report it (the GC log's "after" figures), with when. */
    private static final class HeapAfterGc {
        private record AfterGc(long nanos, long bytes) {
        }

        private final ConcurrentLinkedQueue<AfterGc> seen = new ConcurrentLinkedQueue<>();
        private final List<Runnable> removals = new ArrayList<>();

        static HeapAfterGc listen() {
            HeapAfterGc heap = new HeapAfterGc();
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                NotificationEmitter emitter = (NotificationEmitter) collector;
                NotificationListener listener = (notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
                        heap.seen.add(new AfterGc(System.nanoTime(), after));
                    }
                };
                emitter.addNotificationListener(listener, null, null);
                heap.removals.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException e) {
                        // already gone
                    }
                });
            }
            return heap;
        }

        void stop() {
            removals.forEach(Runnable::run);
        }

        long highest(long from, long to) {
            return seen.stream().filter(a -> a.nanos() >= from && a.nanos() < to).mapToLong(AfterGc::bytes).max().orElse(0);
        }

        long count(long from, long to) {
            return seen.stream().filter(a -> a.nanos() >= from && a.nanos() < to).count();
        }

        int count() {
            return seen.size();
        }
    }

    private InstanceListingBenchmark() {
    }
}

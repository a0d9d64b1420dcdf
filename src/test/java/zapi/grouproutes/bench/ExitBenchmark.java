package zapi.grouproutes.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How soon a batch-mode run exits once its work is done (issue 23, goal 3: within 0.3 s of its last report being
 * published). The product runs as users run it (bin/zapi-group-routes) on a small file against
 * {@link FixedAnswerServer}, {@code runs} times, in turns with {@link RawLoop} on the same file:
 * <ul>
 * <li><b>report to exit</b>: from the product's own "Batch ... done" line (the report is published just before
 * it) to the moment this benchmark sees the process end;</li>
 * <li><b>last request to exit</b>: from the server's last request to the process's end, for both: the loop
 * exits once its last answer is written, so this is what a program needs at least.</li>
 * </ul>
 * Medians. It exits non-zero when a run did not exit 0 or when the product's median report-to-exit is above
 * 0.3 s.
 * <pre>
 * BENCH=ExitBenchmark bench/run              # 1,000 groups, 5 runs of each
 * BENCH=ExitBenchmark bench/run 200 3        # groups runs
 * </pre>
 */
public final class ExitBenchmark {

    private static final long GOAL_MILLIS = 300;
    private static final String OPTS = "-Xmx1g";

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String loadBefore = LaunchedRun.load();
        Path dir = Files.createTempDirectory("zapi-exit");
        Path input = LaunchedRun.groups(dir.resolve("groups.txt"), groups);
        List<Long> loopAfterLast = new ArrayList<>();
        List<Long> productAfterLast = new ArrayList<>();
        List<Long> productAfterReport = new ArrayList<>();
        try (FixedAnswers server = new FixedAnswers(0)) {
            for (int i = 0; i < runs; i++) {
                server.reset();
                LaunchedRun loop = LaunchedRun.loop(dir, input, server.base(), 8, OPTS).exitedZero();
                loopAfterLast.add(loop.exitedMillis() - requestsDone(server, groups, loop));
                server.reset();
                LaunchedRun product = LaunchedRun.product(dir, "zapi-group-routes", input, server.base(), 8, OPTS, Map.of()).exitedZero();
                productAfterLast.add(product.exitedMillis() - requestsDone(server, groups, product));
                productAfterReport.add(product.exitedMillis() - product.loggedAt("Batch groups.txt done: " + groups + " groups (OK " + groups));
            }
        }
        System.out.printf(Locale.ROOT, "%nexit after the work is done, %,d groups, %d runs in turns (medians; load %s before, %s after)%n",
                groups, runs, loadBefore, LaunchedRun.load());
        System.out.printf(Locale.ROOT, "%-26s %22s %22s%n", "", "last request to exit", "report to exit");
        System.out.printf(Locale.ROOT, "%-26s %19d ms %22s   runs %s%n", "raw java.net.http loop", median(loopAfterLast), "", loopAfterLast);
        System.out.printf(Locale.ROOT, "%-26s %19d ms %19d ms   runs %s / %s%n", "bin/zapi-group-routes", median(productAfterLast),
                median(productAfterReport), productAfterLast, productAfterReport);
        long reportToExit = median(productAfterReport);
        System.out.printf(Locale.ROOT, "goal: report to exit at most %d ms: %s%n", GOAL_MILLIS, reportToExit <= GOAL_MILLIS ? "met"
                : "missed by " + (reportToExit - GOAL_MILLIS) + " ms");
        if (reportToExit > GOAL_MILLIS) {
            throw new NotMeasured("goal missed: the median run exited " + reportToExit + " ms after its report, the goal is at most " + GOAL_MILLIS);
        }
    }

    /** When the server saw the run's last request; the run must have made all of them (two a group). */
    private static long requestsDone(FixedAnswers server, int groups, LaunchedRun run) throws Exception {
        FixedAnswers.Stats stats = server.stats();
        if (stats.requests() < 2L * groups) {
            throw new NotMeasured(run.name() + " made " + stats.requests() + " requests for " + groups + " groups");
        }
        return stats.lastMillis();
    }

    static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}

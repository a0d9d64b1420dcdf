package zapi.grouproutes.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A latency-bound batch by wall time (issue 23, goal 4): {@code groups} groups against {@link FixedAnswerServer}
 * answering every request after {@code latency} ms, {@code workers} workers. C workers making two calls of L
 * each can do at most C/(2L) groups a second; the goal is at least 0.9 of it by wall time, from starting the
 * process to its exit, for a file complete before the start ({@code ZAPI_INBOX_MIN_FILE_AGE_MS=0}). The product
 * runs as users run it (bin/zapi-group-routes), {@link RawLoop} with as many threads beside it, in turns. For the
 * product, where the wall time goes: to the first request, the batch's own time (its summary line), and from
 * its report to the exit.
 * <p>It exits non-zero when a run did not exit 0 or did not make every request, or when the product's share of
 * C/(2L) is below 0.9.
 * <pre>
 * BENCH=LatencyBoundBenchmark bench/run                  # 10,000 groups, 200 ms, 64 workers, 1 round
 * BENCH=LatencyBoundBenchmark bench/run 3000 200 64 2    # groups latency-ms workers rounds
 * </pre>
 */
public final class LatencyBoundBenchmark {

    private static final double GOAL = 0.9;
    private static final String OPTS = "-Xmx1g";
    private static final Pattern BATCH_TIME = Pattern.compile(" in ([0-9.]+) s;");

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int latency = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        double ideal = groups * 2.0 * latency / 1000.0 / workers;
        String loadBefore = LaunchedRun.load();
        Path dir = Files.createTempDirectory("zapi-latency");
        Path input = LaunchedRun.groups(dir.resolve("groups.txt"), groups);
        System.out.printf(Locale.ROOT, "%n%,d groups, %d ms a request, %d workers: C/(2L) = %.1f groups/s, %.1f s at best%n", groups, latency,
                workers, workers * 1000.0 / (2 * latency), ideal);
        System.out.printf(Locale.ROOT, "%-24s %8s %10s %10s %12s %12s %14s%n", "client", "wall s", "of C/(2L)", "groups/s", "to 1st req",
                "batch s", "report to exit");
        double worst = Double.MAX_VALUE;
        try (FixedAnswers server = new FixedAnswers(latency)) {
            for (int round = 0; round < rounds; round++) {
                server.reset();
                LaunchedRun loop = LaunchedRun.loop(dir, input, server.base(), workers, OPTS).exitedZero();
                FixedAnswers.Stats loopStats = allRequests(server, groups, loop);
                System.out.printf(Locale.ROOT, "%-24s %8.1f %10.2f %10.1f %9d ms %12s %14s%n", loop.name(), loop.wallSeconds(),
                        ideal / loop.wallSeconds(), groups / loop.wallSeconds(), loopStats.firstMillis() - loop.startedMillis(), "", "");
                server.reset();
                LaunchedRun product = LaunchedRun.product(dir, "zapi-group-routes", input, server.base(), workers, OPTS,
                        Map.of("ZAPI_INBOX_MIN_FILE_AGE_MS", "0")).exitedZero();
                FixedAnswers.Stats stats = allRequests(server, groups, product);
                String done = product.line("Batch groups.txt done: " + groups + " groups (OK " + groups);
                Matcher batch = BATCH_TIME.matcher(done);
                double share = ideal / product.wallSeconds();
                worst = Math.min(worst, share);
                System.out.printf(Locale.ROOT, "%-24s %8.1f %10.2f %10.1f %9d ms %12s %11d ms%n", "bin/zapi-group-routes", product.wallSeconds(),
                        share, groups / product.wallSeconds(), stats.firstMillis() - product.startedMillis(), batch.find() ? batch.group(1) : "?",
                        product.exitedMillis() - product.loggedAt("Batch groups.txt done:"));
            }
        }
        System.out.printf(Locale.ROOT, "load %s before, %s after%n", loadBefore, LaunchedRun.load());
        System.out.printf(Locale.ROOT, "goal: at least %.2f of C/(2L) by wall time: %s%n", GOAL, worst >= GOAL ? "met"
                : String.format(Locale.ROOT, "missed (%.3f)", worst));
        if (worst < GOAL) {
            throw new NotMeasured(String.format(Locale.ROOT, "goal missed: the product reached %.3f of C/(2L) by wall time, the goal is %.1f", worst, GOAL));
        }
    }

    private static FixedAnswers.Stats allRequests(FixedAnswers server, int groups, LaunchedRun run) throws Exception {
        FixedAnswers.Stats stats = server.stats();
        if (stats.requests() < 2L * groups) {
            throw new NotMeasured(run.name() + " made " + stats.requests() + " requests for " + groups + " groups");
        }
        return stats;
    }
}

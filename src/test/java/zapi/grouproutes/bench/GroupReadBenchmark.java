package zapi.grouproutes.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.TestDatabase;

/**
 * {@code GET /api/groups/{id}} from the database, at 64 connections with {@code wrk} (bench/group-reads.lua: a
 * random stored group per request), against two baselines in the same run, the JDK's HttpServer ({@link BareJdkServer})
 * and a bare Vert.x server ({@link BareVertxServer}), answering the same JSON from the same query on the same pool. The product answers with its API key checked (Bearer),
 * through Vert.x, the gate and the Rest DSL. Groups are stored first through the product itself (a file in its
 * inbox, the database sink on PostgreSQL, a zero-latency simulator). After a warm-up of each, baselines and
 * product take turns; the ratio is the product's requests/s over the faster baseline's mean.
 * <p>
 * Goals: at least {@value #GOAL_RATIO} of the baseline's throughput, and p99 under {@value #GOAL_P99_MILLIS} ms;
 * a run that misses one, or any request that failed or was not 200, exits non-zero after the table.
 * <pre>
 * BENCH=GroupReadBenchmark bench/run                  # 10,000 groups, 64 connections, 20 s a case, 2 rounds
 * BENCH=GroupReadBenchmark bench/run 10000 64 20 2    # groups connections seconds rounds
 * </pre>
 */
public final class GroupReadBenchmark {

    static final double GOAL_RATIO = 0.5;
    static final double GOAL_P99_MILLIS = 20;
    private static final Pattern WRK = Pattern.compile(
            "WRK requests=(\\d+) micros=(\\d+) errors=(\\d+) status=(\\d+) p50=(\\d+) p90=(\\d+) p99=(\\d+) max=(\\d+)");
    private static final String PRODUCT = "zapi-group-routes";

    private record Result(String server, long requests, double seconds, double p50, double p90, double p99, double max) {
        double perSecond() {
            return requests / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        String loadBefore = Latencies.load();
        List<Result> results = new ArrayList<>();
        Path dir = Files.createTempDirectory("zapi-group-reads");
        try (TestDatabase database = TestDatabase.postgres(); ZapiSimulator zapi = BenchBatch.simulator(SimulatorOptions.defaults());
                ApiService product = ApiService.start(dir, zapi, database, Map.of("zapi.rate.requests-per-second", "1000000", "zapi.concurrency", "8"))) {
            long began = System.nanoTime();
            product.deliver("groups.txt", groups);
            while (database.count("SELECT COUNT(*) FROM zapi_group") < groups) {
                if (System.nanoTime() - began > TimeUnit.MINUTES.toNanos(5)) {
                    throw new NotMeasured("the product stored " + database.count("SELECT COUNT(*) FROM zapi_group") + " of " + groups
                            + " groups in 5 minutes");
                }
                Thread.sleep(500);
            }
            System.out.printf(Locale.ROOT, "%,d groups stored through the product in %.1f s%n", groups, (System.nanoTime() - began) / 1e9);
            List<Baseline> baselines = Baseline.both(product.database(), TimeUnit.DAYS.toMillis(1));
            try {
                for (Baseline baseline : baselines) {
                    sameAnswer(product, baseline.base(), groups);
                    // warm-up: the JIT, the pool, the server's threads
                    wrk(baseline.name(), baseline.base(), groups, connections, 10, false);
                }
                wrk(PRODUCT, product.base(), groups, connections, 10, true);
                for (int round = 0; round < rounds; round++) {
                    for (Baseline baseline : baselines) {
                        results.add(wrk(baseline.name(), baseline.base(), groups, connections, seconds, false));
                    }
                    results.add(wrk(PRODUCT, product.base(), groups, connections, seconds, true));
                }
            } finally {
                for (Baseline baseline : baselines) {
                    baseline.close();
                }
            }
        }
        String loadAfter = Latencies.load();
        // the ratio is to the faster baseline (the means of its runs): the stricter comparison
        double baseline = results.stream().filter(r -> !r.server().equals(PRODUCT))
                .collect(java.util.stream.Collectors.groupingBy(Result::server, java.util.stream.Collectors.averagingDouble(Result::perSecond)))
                .values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%nGET /api/groups/{id}, %,d groups in PostgreSQL, %d connections (wrk -t2), %d s a case; load %s before, %s after%n",
                groups, connections, seconds, loadBefore, loadAfter);
        System.out.printf(Locale.ROOT, "| server | requests/s | vs the faster baseline | p50 ms | p90 ms | p99 ms | max ms |%n|---|---|---|---|---|---|---|%n");
        String missed = null;
        for (Result r : results) {
            double ratio = r.perSecond() / baseline;
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2fx | %.2f | %.2f | %.2f | %.1f |%n", r.server(), r.perSecond(), ratio, r.p50(), r.p90(),
                    r.p99(), r.max());
            if (r.server().equals(PRODUCT) && missed == null && !(ratio >= GOAL_RATIO)) {
                missed = String.format(Locale.ROOT, "goal missed: the product did %.2fx the faster baseline's requests/s, the goal is at least %.1fx",
                        ratio, GOAL_RATIO);
            } else if (r.server().equals(PRODUCT) && missed == null && !(r.p99() < GOAL_P99_MILLIS)) {
                missed = String.format(Locale.ROOT, "goal missed: the product's p99 was %.1f ms, the goal is under %.0f ms (%.2fx the faster baseline's"
                        + " requests/s, goal met)", r.p99(), GOAL_P99_MILLIS, ratio);
            }
        }
        if (missed != null) {
            throw new NotMeasured(missed);
        }
    }

    /** Both servers answer a stored group with the same JSON, or the comparison is not of the same work. */
    private static void sameAnswer(ApiService product, URI baseline, int groups) throws Exception {
        String path = "/api/groups/" + BenchBatch.groupId(groups / 2);
        HttpResponse<String> fromProduct = product.get(path);
        HttpResponse<String> fromBaseline = HttpClient.newHttpClient().send(HttpRequest.newBuilder(baseline.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        ObjectMapper json = new ObjectMapper();
        if (fromProduct.statusCode() != 200 || fromBaseline.statusCode() != 200
                || !json.readTree(fromProduct.body()).equals(json.readTree(fromBaseline.body()))) {
            throw new NotMeasured("the two servers answer " + path + " differently: " + fromProduct.statusCode() + " " + fromProduct.body() + " / "
                    + fromBaseline.statusCode() + " " + fromBaseline.body());
        }
        System.out.println("both answer " + path + " with " + fromProduct.body());
    }

    private static Result wrk(String server, URI base, int groups, int connections, int seconds, boolean withKey) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
                "-s", Path.of("bench", "group-reads.lua").toAbsolutePath().toString()));
        if (withKey) {
            command.addAll(List.of("-H", "Authorization: Bearer " + ApiService.KEY));
        }
        command.addAll(List.of(base.toString(), "--", String.valueOf(groups)));
        Process wrk;
        try {
            wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NotMeasured("wrk cannot be started (" + e.getMessage() + "): bench/run installs it with apt-get install -y wrk");
        }
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new NotMeasured("wrk exited " + wrk.exitValue() + ": " + out);
        }
        Matcher m = WRK.matcher(out);
        if (!m.find()) {
            throw new NotMeasured("wrk printed no result line: " + out);
        }
        long requests = Long.parseLong(m.group(1));
        long errors = Long.parseLong(m.group(3));
        long status = Long.parseLong(m.group(4));
        if (requests == 0 || errors > 0 || status > 0) {
            throw new NotMeasured(server + ": of " + requests + " requests " + errors + " failed and " + status + " were answered other than 2xx");
        }
        Result result = new Result(server, requests, Long.parseLong(m.group(2)) / 1e6, ms(m.group(5)), ms(m.group(6)), ms(m.group(7)), ms(m.group(8)));
        System.out.printf(Locale.ROOT, "%-22s %,8.0f requests/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  (%d s, load %s)%n", server,
                result.perSecond(), result.p50(), result.p90(), result.p99(), seconds, Latencies.load());
        return result;
    }

    private static double ms(String micros) {
        return Long.parseLong(micros) / 1000.0;
    }

    private GroupReadBenchmark() {
    }
}

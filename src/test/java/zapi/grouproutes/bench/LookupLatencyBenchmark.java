package zapi.grouproutes.bench;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.TestDatabase;

/**
 * {@code POST /api/lookups} of one group while a large batch runs, against the same lookups while none runs (the
 * baseline, in the same run). The simulator answers after 150 ms; the product runs with its defaults (rate and
 * workers {@code auto}, the database sink on PostgreSQL). First the lookups with the inbox idle; then a
 * 50,000-group file is delivered, and once its requests have flowed for the warm-up the same number of lookups
 * (other groups) is made while it runs; then the service is stopped, the batch unfinished. Lookups go one at a
 * time, a pause between, each timed from send to answer by the client; each must be answered OK. Z-API requests of
 * the batch during the lookups are counted at the simulator, so a batch that had ended, or never ran, fails the run.
 * <p>
 * Goal: p95 during the batch under {@value #GOAL_LATENCIES} times the Z-API latency (a lookup is two requests, so
 * two latencies are its floor): the interactive lane of the request budget lets a lookup's request take the next
 * permit ahead of the batch's waiting workers.
 * <pre>
 * BENCH=LookupLatencyBenchmark bench/run                # 50,000 groups, 40 lookups each way, 30 s of warm-up
 * BENCH=LookupLatencyBenchmark bench/run 50000 40 30    # batch-groups lookups warm-up-seconds
 * BENCH=LookupLatencyBenchmark bench/run zapi.rate.scope=instance    # and settings of the product's
 * </pre>
 */
public final class LookupLatencyBenchmark {

    static final long LATENCY_MILLIS = 150;
    static final double GOAL_LATENCIES = 3;
    private static final long PAUSE_MILLIS = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        List<String> numbers = new ArrayList<>();
        Map<String, String> settings = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length == 2) {
                settings.put(kv[0], kv[1]);
            } else {
                numbers.add(arg);
            }
        }
        int batchGroups = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 50_000;
        int lookups = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 40;
        int warmupSeconds = numbers.size() > 2 ? Integer.parseInt(numbers.get(2)) : 30;
        String loadBefore = Latencies.load();
        Latencies quiet;
        Latencies busy;
        double batchRequestsPerSecond;
        String loadBusy;
        Path dir = Files.createTempDirectory("zapi-lookup-latency");
        try (TestDatabase database = TestDatabase.postgres();
                ZapiSimulator zapi = BenchBatch.simulator(SimulatorOptions.defaults().withLatencyMillis(LATENCY_MILLIS));
                ApiService product = ApiService.start(dir, zapi, database, settings)) {
            // the JIT and the pool: lookups of groups of their own, not counted (with 5, the first measured ones were still slow)
            lookups(product, 20, 9);
            quiet = lookups(product, lookups, 7);
            String loadQuiet = Latencies.load();
            System.out.printf(Locale.ROOT, "no batch: %s (load %s)%n", summary(quiet), loadQuiet);
            product.deliver("batch.txt", batchGroups);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
            int before = zapi.requestCount();
            while (System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            if (zapi.requestCount() - before < warmupSeconds) {
                throw new NotMeasured("the batch made " + (zapi.requestCount() - before) + " requests in its " + warmupSeconds + " s of warm-up");
            }
            long began = System.nanoTime();
            int sent = zapi.requestCount();
            busy = lookups(product, lookups, 3);
            double seconds = (System.nanoTime() - began) / 1e9;
            batchRequestsPerSecond = (zapi.requestCount() - sent - 2.0 * lookups) / seconds;
            long stored = database.count("SELECT COUNT(*) FROM zapi_group");
            loadBusy = Latencies.load();
            System.out.printf(Locale.ROOT, "during the batch: %s; the batch's Z-API requests %.0f/s meanwhile, %,d groups stored (load %s)%n",
                    summary(busy), batchRequestsPerSecond, stored, loadBusy);
            if (stored >= batchGroups || batchRequestsPerSecond < 5) {
                throw new NotMeasured("the batch did not run through the lookups: " + stored + " groups stored, " + batchRequestsPerSecond
                        + " batch requests/s");
            }
        }
        double goal = GOAL_LATENCIES * LATENCY_MILLIS;
        System.out.printf(Locale.ROOT, "%nPOST /api/lookups, one group, Z-API at %d ms, %d lookups each way, settings %s; load %s before, %s during the batch,"
                + " %s after%n", LATENCY_MILLIS, lookups, settings.isEmpty() ? "the defaults" : settings, loadBefore, loadBusy, Latencies.load());
        System.out.printf(Locale.ROOT, "| lookups | p50 ms | p95 ms | max ms | p95 / Z-API latency |%n|---|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| no batch running | %.0f | %.0f | %.0f | %.1fx |%n", quiet.millis(50), quiet.millis(95), quiet.maxMillis(),
                quiet.millis(95) / LATENCY_MILLIS);
        System.out.printf(Locale.ROOT, "| during a %,d-group batch (%.0f batch requests/s) | %.0f | %.0f | %.0f | %.1fx |%n", batchGroups,
                batchRequestsPerSecond, busy.millis(50), busy.millis(95), busy.maxMillis(), busy.millis(95) / LATENCY_MILLIS);
        if (!(busy.millis(95) < goal)) {
            throw new NotMeasured(String.format(Locale.ROOT, "goal missed: p95 during the batch %.0f ms, the goal is under %.0f ms (%.0fx %d ms)",
                    busy.millis(95), goal, GOAL_LATENCIES, LATENCY_MILLIS));
        }
    }

    /** {@code count} lookups, one at a time, of groups no batch has (IDs ending in {@code digit}), each answered OK. */
    private static Latencies lookups(ApiService product, int count, int digit) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String group = String.format(Locale.ROOT, "120363%012d%d-group", 900_000_000L + i, digit);
            long began = System.nanoTime();
            HttpResponse<String> answer = product.postJson("/api/lookups", "{\"groupIds\":[\"" + group + "\"]}");
            micros.add((System.nanoTime() - began) / 1000);
            JsonNode outcome = answer.statusCode() == 200 ? JSON.readTree(answer.body()).path("groups").path(0).path("outcome") : null;
            if (outcome == null || !outcome.asText().equals("OK")) {
                throw new NotMeasured("a lookup was answered " + answer.statusCode() + " " + answer.body());
            }
            Thread.sleep(PAUSE_MILLIS);
        }
        return Latencies.of(micros);
    }

    private static String summary(Latencies latencies) {
        return String.format(Locale.ROOT, "%d lookups, p50 %.0f ms, p95 %.0f ms, max %.0f ms", latencies.count(), latencies.millis(50),
                latencies.millis(95), latencies.maxMillis());
    }

    private LookupLatencyBenchmark() {
    }
}

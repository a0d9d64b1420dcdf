package zapi.grouproutes.bench;

import java.nio.file.Files;
import java.util.Map;

import zapi.grouproutes.support.TestDatabase;

/**
 * Does the database sink keep pace with enrichment? The same batch against a zero-latency simulator
 * with the CSV sink alone, then with the database sink on PostgreSQL (127.0.0.1:5432, database test,
 * a schema of its own) and on the embedded H2 file. Not a test: {@code BENCH=SinkBenchmark bench/run}
 * [groups concurrency].
 */
public final class SinkBenchmark {

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        try (TestDatabase postgres = TestDatabase.postgres();
                TestDatabase h2 = TestDatabase.h2(Files.createTempDirectory("zapi-bench-h2"))) {
            // warm-up: JIT, connection pools, Flyway
            EnrichmentBenchmark.run(0, 2_000, concurrency, 1_000_000, Map.of());
            System.out.println("sinks: csv");
            EnrichmentBenchmark.run(0, groups, concurrency, 1_000_000, Map.of());
            System.out.println("sinks: csv,jdbc (PostgreSQL 15 on loopback)");
            EnrichmentBenchmark.run(0, groups, concurrency, 1_000_000, postgres.settings());
            expectRows(postgres, groups, 1);
            System.out.println("sinks: csv,jdbc (PostgreSQL, the same groups again: every row an update)");
            EnrichmentBenchmark.run(0, groups, concurrency, 1_000_000, postgres.settings());
            expectRows(postgres, groups, 2);
            System.out.println("sinks: csv,jdbc (embedded H2 file)");
            EnrichmentBenchmark.run(0, groups, concurrency, 1_000_000, h2.settings());
            expectRows(h2, groups, 1);
        }
    }

    /** The database sink wrote what it was timed for: a row per group, and each run COMPLETED. */
    private static void expectRows(TestDatabase db, int groups, int runs) throws Exception {
        long rows = db.count("SELECT COUNT(*) FROM zapi_group");
        long completed = db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'COMPLETED'");
        if (rows != groups || completed != runs) {
            throw new NotMeasured(db.kind() + " holds " + rows + " groups and " + completed + " COMPLETED runs after " + runs
                    + " runs of " + groups + " groups");
        }
    }

    private SinkBenchmark() {
    }
}

package zapi.grouproutes.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

/**
 * Does the database sink keep pace with enrichment? The same batch against a zero-latency simulator
 * with the CSV sink alone, then with the database sink on PostgreSQL (127.0.0.1:5432, database test,
 * a schema of its own) and on the embedded H2 file. Not a test: {@code BENCH=SinkBenchmark bench/run}
 * [groups concurrency].
 */
public final class SinkBenchmark {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        String schema = "zapi_bench_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        Path h2 = Files.createTempDirectory("zapi-bench-h2");
        try {
            // warm-up: JIT, connection pools, Flyway
            EnrichmentBenchmark.run(0, 2_000, concurrency, 1_000_000, Map.of());
            System.out.println("sinks: csv");
            EnrichmentBenchmark.run(0, groups, concurrency, 1_000_000, Map.of());
            System.out.println("sinks: csv,jdbc (PostgreSQL 15 on loopback)");
            EnrichmentBenchmark.run(0, groups, concurrency, 1_000_000, Map.of("zapi.sinks", "csv,jdbc",
                    "zapi.db.url", POSTGRES + "?currentSchema=" + schema, "zapi.db.user", "postgres"));
            System.out.println("sinks: csv,jdbc (PostgreSQL, the same groups again: every row an update)");
            EnrichmentBenchmark.run(0, groups, concurrency, 1_000_000, Map.of("zapi.sinks", "csv,jdbc",
                    "zapi.db.url", POSTGRES + "?currentSchema=" + schema, "zapi.db.user", "postgres"));
            System.out.println("sinks: csv,jdbc (embedded H2 file)");
            EnrichmentBenchmark.run(0, groups, concurrency, 1_000_000, Map.of("zapi.sinks", "csv,jdbc",
                    "zapi.db.url", "jdbc:h2:file:" + h2.resolve("zapi-groups").toAbsolutePath()));
        } finally {
            try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", null); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private SinkBenchmark() {
    }
}

package zapi.grouproutes.enrichment;

import java.util.OptionalInt;
import java.util.concurrent.ThreadFactory;

import zapi.grouproutes.Settings;
import zapi.grouproutes.zapi.RequestBudget;

/**
 * {@code zapi.concurrency}: {@code auto} (the default: workers sized from the request rate and the API's
 * latency, at most {@code zapi.concurrency.max}) or a fixed number of workers; and what follows from it
 * (the database pool, the JMS consumers).
 */
public final class ConcurrencySettings {

    static final String CONCURRENCY = "zapi.concurrency";
    static final String MAX = "zapi.concurrency.max";
    static final String HTTP_CONNECTIONS = "zapi.http.connections";
    static final String JMS_CONSUMERS = "zapi.jms.concurrent-consumers";
    static final int DEFAULT_MAX = 64;
    /**
     * The database pool's default with {@code auto}. One write takes milliseconds, so even 100 groups/s keep
     * about one connection busy; one per worker (64) would be more than a PostgreSQL server's 100 connections
     * allow for two instances. A worker that finds none free waits for one (zapi.db.connect-timeout-ms).
     */
    static final int AUTO_DATABASE_CONNECTIONS = 10;

    private ConcurrencySettings() {
    }

    /** The fixed number of workers, or empty with {@code auto}. */
    public static OptionalInt fixed(Settings settings) {
        String value = settings.text(CONCURRENCY, "auto");
        if (value.equalsIgnoreCase("auto")) {
            return OptionalInt.empty();
        }
        if (!value.matches("[0-9]{1,6}") || Integer.parseInt(value) < 1) {
            throw new IllegalArgumentException(CONCURRENCY + " must be auto or a whole number of at least 1, not '" + value + "'");
        }
        return OptionalInt.of(Integer.parseInt(value));
    }

    /** The most workers {@code auto} may use. */
    public static int max(Settings settings) {
        long max = settings.number(MAX, DEFAULT_MAX);
        if (max < EnrichmentWorkers.MIN_AUTO || max > 100_000) {
            throw new IllegalArgumentException(MAX + " must be from " + EnrichmentWorkers.MIN_AUTO + " to 100000, not " + max);
        }
        return (int) max;
    }

    /** The fewest workers {@code auto} uses. */
    public static int min() {
        return EnrichmentWorkers.MIN_AUTO;
    }

    public static EnrichmentWorkers workers(Settings settings, RequestBudget budget, ThreadFactory threads) {
        OptionalInt fixed = fixed(settings);
        return fixed.isPresent() ? EnrichmentWorkers.fixed(fixed.getAsInt(), threads)
                : EnrichmentWorkers.following(budget, max(settings), threads);
    }

    /** Empty {@code zapi.db.pool-size}: a connection per fixed worker plus the run record's, or a fixed 10 with auto. */
    public static int databaseConnections(EnrichmentWorkers workers) {
        return workers.automatic() ? AUTO_DATABASE_CONNECTIONS : workers.size() + 2;
    }

    /**
     * Connections to Z-API (the zapi-request endpoint's pool), unless {@code zapi.http.connections} says: one
     * for every thread that may call at once. Those are the enrichment workers (the fixed number, or auto's
     * maximum), the JMS consumers when the jms source is on (they enrich on their own threads, see
     * {@link #jmsMaxConsumers}), and one status probe per enabled source (a paused source's intake probe, a
     * tick's check before it begins). No caller then waits for a connection; one that does gets a transient
     * failure after zapi.request-timeout-ms.
     *
     * @param sources the enabled sources ({@code zapi.sources})
     */
    public static int httpConnections(EnrichmentWorkers workers, Settings settings, java.util.Collection<String> sources) {
        String set = settings.text(HTTP_CONNECTIONS, "");
        if (!set.isBlank()) {
            if (!set.strip().matches("[0-9]{1,6}") || Integer.parseInt(set.strip()) < 1) {
                throw new IllegalArgumentException(HTTP_CONNECTIONS + " must be empty or a whole number of at least 1, not '" + set + "'");
            }
            return Integer.parseInt(set.strip());
        }
        int workerThreads = workers.automatic() ? max(settings) : workers.size();
        int jmsThreads = sources.contains("jms") ? jmsMaxConsumers(settings) : 0;
        return workerThreads + jmsThreads + Math.max(1, sources.size());
    }

    /** {@code zapi.jms.concurrent-consumers}: empty, the fixed number of workers, or with auto the fewest workers. */
    public static long jmsConsumers(Settings settings) {
        return settings.number(JMS_CONSUMERS, fixed(settings).orElse(min()));
    }

    /**
     * The most JMS consumer threads: {@link #jmsConsumers}, or with auto and no {@code zapi.jms.concurrent-consumers}
     * up to {@code zapi.concurrency.max} (camel-jms adds consumers while messages wait).
     */
    public static int jmsMaxConsumers(Settings settings) {
        long consumers = jmsConsumers(settings);
        boolean grows = settings.text(JMS_CONSUMERS, null) == null && fixed(settings).isEmpty();
        return (int) (grows ? Math.max(consumers, max(settings)) : consumers);
    }

    /**
     * {@link #databaseConnections(EnrichmentWorkers)} before the workers exist: the shared request budget
     * ({@code zapi.rate.scope=cluster}) opens the database ahead of them.
     */
    public static int databaseConnections(Settings settings) {
        OptionalInt fixed = fixed(settings);
        return fixed.isPresent() ? fixed.getAsInt() + 2 : AUTO_DATABASE_CONNECTIONS;
    }

    /**
     * The shared request budget's own pool: one connection per 8 workers (fixed, or auto's most), from 2 to 8.
     * Every permit is a short transaction on the one bucket row, which takes them one at a time, so more
     * connections would only move the queue from the pool into the database's lock.
     */
    public static int budgetConnections(Settings settings) {
        OptionalInt fixed = fixed(settings);
        int workers = fixed.isPresent() ? fixed.getAsInt() : max(settings);
        return Math.max(2, Math.min(8, (workers + 7) / 8));
    }

    /** As the startup line tells it. */
    public static String describe(EnrichmentWorkers workers, Settings settings) {
        return workers.automatic() ? "auto (" + min() + " to " + max(settings) + " workers)" : String.valueOf(workers.size());
    }
}

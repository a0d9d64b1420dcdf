package zapi.grouproutes.enrichment;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.util.concurrent.RejectableThreadPoolExecutor;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.zapi.RequestBudget;

/**
 * The threads the sources' splits enrich groups on ({@code executorService: enrichmentWorkers}): a fixed
 * number ({@code zapi.concurrency}), or with {@code auto} as many as the request budget can keep busy.
 * <ul>
 * <li><b>Auto, by Little's law.</b> Requests in flight = rate × latency, and a worker has one request in
 * flight at a time. {@link #resize} (every second) sets twice that plus two, between
 * {@value #MIN_AUTO} and {@code zapi.concurrency.max}: twice, so that the rate can double (slow start)
 * before the workers cap it, and a group's own work around its requests (the sinks) does not either. At
 * 200 requests/s and 150 ms that is 62 workers; at 5 requests/s, 4.</li>
 * <li><b>Why not simply many workers.</b> Every worker holds a group, and groups in flight at a stop must
 * finish within the shutdown timeout: 64 workers at 5 requests/s hold 26 s of requests, the backlog on top.
 * Sized from the rate, what is in flight stays a few seconds of budget whatever the rate.</li>
 * <li><b>The backlog</b> (the queue in front of the workers) holds four tasks per worker, as before: when it
 * is full the splitting thread enriches a group itself, so a streamed file is read no faster than it is
 * enriched. Its capacity follows the workers, since a fixed queue would be either too short at 64 workers
 * or too long at 4.</li>
 * </ul>
 */
public final class EnrichmentWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentWorkers.class);
    public static final int MIN_AUTO = 4;
    private static final int BACKLOG_PER_WORKER = 4;

    private final ThreadPoolExecutor pool;
    private final Backlog backlog;
    private final int max;
    private final RequestBudget budget;

    private EnrichmentWorkers(int workers, int max, RequestBudget budget, ThreadFactory threads) {
        this.max = max;
        this.budget = budget;
        this.backlog = new Backlog(workers * BACKLOG_PER_WORKER);
        this.pool = new RejectableThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, backlog, threads,
                ThreadPoolRejectedPolicy.CallerRuns.asRejectedExecutionHandler());
    }

    /** {@code workers} threads, whatever the rate. */
    public static EnrichmentWorkers fixed(int workers, ThreadFactory threads) {
        return new EnrichmentWorkers(workers, workers, null, threads);
    }

    /** Sized from the budget's rate and latency by {@link #resize}, at most {@code max}. */
    public static EnrichmentWorkers following(RequestBudget budget, int max, ThreadFactory threads) {
        return new EnrichmentWorkers(sized(budget.rate().perSecond(), budget.latency(), max), max, budget, threads);
    }

    /** Workers that keep {@code requestsPerSecond} busy at {@code latency}, with room to double. */
    static int sized(double requestsPerSecond, Duration latency, int max) {
        double inFlight = requestsPerSecond * latency.toNanos() / 1e9;
        return (int) Math.max(MIN_AUTO, Math.min(max, Math.ceil(2 * inFlight) + 2));
    }

    /** The executor the routes use. */
    public ExecutorService executor() {
        return pool;
    }

    /** The number of workers now. */
    public int size() {
        return pool.getMaximumPoolSize();
    }

    /** Whether {@link #resize} follows the budget (concurrency {@code auto}). */
    public boolean automatic() {
        return budget != null;
    }

    /** With {@code auto}: the workers for the budget's rate and latency now. Busy workers end after their group. */
    public synchronized void resize() {
        if (budget == null) {
            return;
        }
        int workers = sized(budget.rate().perSecond(), budget.latency(), max);
        int now = pool.getMaximumPoolSize();
        if (workers == now) {
            return;
        }
        // the core size may never exceed the maximum, in between either
        if (workers > now) {
            pool.setMaximumPoolSize(workers);
            pool.setCorePoolSize(workers);
        } else {
            pool.setCorePoolSize(workers);
            pool.setMaximumPoolSize(workers);
        }
        backlog.capacity = workers * BACKLOG_PER_WORKER;
        LOG.debug("Enrichment workers: {} (rate {} requests/s, latency {} ms)", workers, budget.rate().perSecond(),
                budget.latency().toMillis());
    }

    public void shutdown() {
        pool.shutdown();
    }

    /**
     * A queue whose capacity can change: the pool offers every task here before the rejection policy
     * (the caller runs it) applies. Between the size check and the insertion another task may slip in, so
     * the capacity is kept to within the number of threads submitting at once, which is plenty here.
     */
    private static final class Backlog extends LinkedBlockingQueue<Runnable> {

        private volatile int capacity;

        Backlog(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public boolean offer(Runnable task) {
            return size() < capacity && super.offer(task);
        }
    }
}

package zapi.grouproutes.zapi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.database.DatabaseUnavailableException;

/**
 * The part of the {@link RequestBudget} that instances on one database share ({@code zapi.rate.scope=cluster}),
 * per Z-API instance (keyed by its instance ID, since the limit is the Z-API instance's):
 * <ul>
 * <li><b>the bucket</b>: a Bucket4j bucket in {@code zapi_rate_bucket}, so every permit of every instance is
 * drawn from one bucket under a row lock, and its configuration is the one rate in force;</li>
 * <li><b>the control row</b> in {@code zapi_rate_control}: the end of the latest {@code Retry-After} pause,
 * and the send time of the latest request whose 429 cut the rate, with the ceiling and rate that cut decided,
 * so that every instance takes the same cut and climbs back on the same curve. Each instance reads it at most every
 * {@value #POLL_MILLIS} ms, while it takes permits, so a 429 that one instance gets pauses and cuts them
 * all within that time.</li>
 * </ul>
 * A failed read or write of the control row is logged and skipped (the bucket still caps every request);
 * a permit that cannot reach the bucket waits for it, up to a patience, then fails ({@link #run}).
 */
public final class ClusterBudget implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBudget.class);
    static final long POLL_MILLIS = 200;

    /** What the control row said at the last read: wall-clock epoch milliseconds. */
    record Control(long pausedUntilMillis, long lastLimitedMillis, double cutCeiling, double cutRate, BucketConfiguration bucket) {
    }

    private final String key;
    private final DataSource pool;
    private final ProxyManager<String> buckets;
    private final Duration patience;
    /** When the bucket stopped answering (System.nanoTime), or 0 while it answers. */
    private final AtomicLong unreachableSince = new AtomicLong();
    private final ReentrantLock polling = new ReentrantLock();
    private volatile long nextPollNanos = System.nanoTime();
    private volatile boolean failing;

    /**
     * @param key     the Z-API instance ID: instances calling the same Z-API instance share its budget
     * @param pool    a small pool of the budget's own, so that permits never wait behind the sinks' writes
     * @param buckets  the database's Bucket4j proxy manager ({@code database.RateBuckets})
     * @param patience how long permits wait for a database that does not answer before they fail: the sink's
     *                 patience with its writes, so that an outage the sink waits out is waited out here too
     */
    public ClusterBudget(String key, DataSource pool, ProxyManager<String> buckets, Duration patience) throws SQLException {
        this.key = key;
        this.pool = pool;
        this.buckets = buckets;
        this.patience = patience;
        ensureControlRow();
    }

    /** A command on the shared bucket: one or more transactions, then maybe a local sleep. */
    interface BucketCommand {
        void run() throws InterruptedException;
    }

    /**
     * Runs {@code command} on the shared bucket. While the database does not answer, it is tried again (every
     * {@value #POLL_MILLIS} ms to a second), so no request is sent without its permit and a short outage only
     * holds the workers, as the sink's writes are held. Once the database has not answered for the patience,
     * the permit fails as a transient error at once, for every worker, until a command gets through again:
     * the routes' retries and outage rules take over, and nothing waits forever.
     */
    void run(BucketCommand command) throws InterruptedException {
        long pauseMillis = POLL_MILLIS;
        while (true) {
            try {
                command.run();
                if (unreachableSince.getAndSet(0) != 0) {
                    LOG.info("The shared request budget answers again");
                }
                return;
            } catch (RuntimeException unreachable) {
                long now = System.nanoTime();
                if (unreachableSince.compareAndSet(0, now)) {
                    LOG.warn("The shared request budget (zapi.rate.scope=cluster) is unreachable in the database ({}): no request is sent"
                            + " without a permit; permits wait for it up to {} s", describe(unreachable), patience.toSeconds());
                }
                if (now - unreachableSince.get() >= patience.toNanos()) {
                    String cause = describe(unreachable);
                    throw new ZapiTransientException(RequestBudget.OPERATION, "the shared request budget (zapi.rate.scope=cluster) is unreachable"
                            + " in the database: " + cause, "BUDGET", cause, null);
                }
                TimeUnit.MILLISECONDS.sleep(pauseMillis);
                pauseMillis = Math.min(1000, pauseMillis * 2);
            }
        }
    }

    static String describe(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return DatabaseUnavailableException.describe(sql);
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** The Z-API instance whose budget this is. */
    public String key() {
        return key;
    }

    /** The pool this budget's statements use (the link method's too). */
    public DataSource pool() {
        return pool;
    }

    /** The shared bucket's configuration, when some instance has used it already. */
    Optional<BucketConfiguration> configuration() {
        return buckets.getProxyConfiguration(key);
    }

    /** The shared bucket; {@code initial} is its configuration only if no instance has made it yet. */
    Bucket bucket(Supplier<BucketConfiguration> initial) {
        return buckets.builder().build(key, initial);
    }

    /** The control row, when it is time to read it again and no other thread is reading it; else null. */
    Control poll() {
        // while the bucket is known to be unreachable, the permit's own attempt says when the database is back
        if (System.nanoTime() - nextPollNanos < 0 || unreachableSince.get() != 0 || !polling.tryLock()) {
            return null;
        }
        try {
            nextPollNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
            try (Connection connection = pool.getConnection();
                    PreparedStatement read = connection.prepareStatement(
                            "SELECT paused_until_ms, last_limited_ms, cut_ceiling, cut_rate FROM zapi_rate_control WHERE zapi_instance = ?")) {
                read.setString(1, key);
                try (ResultSet row = read.executeQuery()) {
                    if (!row.next()) {
                        connection.commit();
                        return null;
                    }
                    long pausedUntil = row.getLong(1);
                    long lastLimited = row.getLong(2);
                    double ceiling = row.getDouble(3);
                    double rate = row.getDouble(4);
                    connection.commit();
                    recovered();
                    // with the configuration the bucket holds now: the rate in force, whichever instance set it
                    return new Control(pausedUntil, lastLimited, ceiling, rate, configuration().orElse(null));
                }
            } catch (SQLException e) {
                failed("read", e);
                return null;
            } catch (RuntimeException e) {
                // the bucket's configuration, read through Bucket4j
                failed("read", new SQLException(describe(e), e));
                return null;
            }
        } finally {
            polling.unlock();
        }
    }

    /** A 429 asked every instance to wait until {@code untilMillis} (wall clock); never shortens a pause. */
    void pausedUntil(long untilMillis) {
        update("UPDATE zapi_rate_control SET paused_until_ms = GREATEST(paused_until_ms, ?) WHERE zapi_instance = ?", untilMillis, key);
    }

    /**
     * This instance cut the rate for a 429 to a request sent at {@code sentMillis} (wall clock), to {@code rate}
     * under {@code ceiling}: the others take the same cut. An older 429 than the one stored changes nothing.
     */
    void limited(long sentMillis, double ceiling, double rate) {
        update("UPDATE zapi_rate_control SET last_limited_ms = ?, cut_ceiling = ?, cut_rate = ? WHERE zapi_instance = ? AND last_limited_ms < ?",
                sentMillis, ceiling, rate, key, sentMillis);
    }

    private void update(String sql, Object... values) {
        try (Connection connection = pool.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                update.setObject(i + 1, values[i]);
            }
            update.executeUpdate();
            connection.commit();
            recovered();
        } catch (SQLException e) {
            failed("written", e);
        }
    }

    /** The row exists before any instance reads or updates it; two instances starting together both get past here. */
    private void ensureControlRow() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO zapi_rate_control (zapi_instance, paused_until_ms, last_limited_ms, cut_ceiling, cut_rate)"
                    + " SELECT ?, 0, 0, 0, 0 FROM (SELECT 1 AS one) AS single WHERE NOT EXISTS (SELECT 1 FROM zapi_rate_control WHERE zapi_instance = ?)")) {
                insert.setString(1, key);
                insert.setString(2, key);
                insert.executeUpdate();
                connection.commit();
            } catch (SQLException raced) {
                // another instance inserted it between the check and the insert: the row is there
                connection.rollback();
                if (!exists(connection)) {
                    throw raced;
                }
            }
        }
    }

    private boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement("SELECT 1 FROM zapi_rate_control WHERE zapi_instance = ?")) {
            read.setString(1, key);
            try (ResultSet row = read.executeQuery()) {
                boolean found = row.next();
                connection.commit();
                return found;
            }
        }
    }

    /** Closes the budget's pool, once the routes have stopped taking permits. */
    @Override
    public void close() throws Exception {
        if (pool instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private void failed(String what, SQLException e) {
        if (!failing) {
            failing = true;
            LOG.warn("The shared request budget's control row could not be {} ({}): pauses and cuts of other instances are not heard until"
                    + " the database answers again; every request still takes its permit from the shared bucket", what, DatabaseUnavailableException.describe(e));
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.info("The shared request budget's control row answers again");
        }
    }
}

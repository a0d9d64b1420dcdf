package zapi.grouproutes.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;

/**
 * Bucket4j buckets in MariaDB's {@code zapi_rate_bucket} table. Bucket4j publishes this as
 * {@code bucket4j_jdk17-mariadb}, which the package registry here does not hold at 8.14.0; the core jar
 * carries the part that matters (the select-for-update protocol: lock the row, run the bucket's command on
 * its state, write it back, commit), so only the four statements are written here, in MariaDB's SQL.
 * The row is created on first use ({@code INSERT IGNORE}: two instances starting together both succeed).
 */
final class MariaDbRateBuckets extends AbstractSelectForUpdateBasedProxyManager<String> {

    private static final String INSERT = "INSERT IGNORE INTO zapi_rate_bucket (id, state) VALUES (?, NULL)";
    private static final String LOCK = "SELECT state FROM zapi_rate_bucket WHERE id = ? FOR UPDATE";
    private static final String UPDATE = "UPDATE zapi_rate_bucket SET state = ? WHERE id = ?";
    private static final String DELETE = "DELETE FROM zapi_rate_bucket WHERE id = ?";

    private final DataSource pool;

    MariaDbRateBuckets(DataSource pool, ClientSideConfig config) {
        super(config);
        this.pool = pool;
    }

    @Override
    protected SelectForUpdateBasedTransaction allocateTransaction(String key, Optional<Long> timeoutNanos) {
        Connection connection;
        try {
            connection = pool.getConnection();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
        return new SelectForUpdateBasedTransaction() {
            @Override
            public void begin(Optional<Long> timeout) {
                run(() -> connection.setAutoCommit(false));
            }

            @Override
            public LockAndGetResult tryLockAndGet(Optional<Long> timeout) {
                try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                    applyTimeout(lock, timeout);
                    lock.setString(1, key);
                    try (ResultSet row = lock.executeQuery()) {
                        return row.next() ? LockAndGetResult.locked(row.getBytes(1)) : LockAndGetResult.notLocked();
                    }
                } catch (SQLException e) {
                    throw new BucketExceptions.BucketExecutionException(e);
                }
            }

            @Override
            public boolean tryInsertEmptyData(Optional<Long> timeout) {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    applyTimeout(insert, timeout);
                    insert.setString(1, key);
                    insert.executeUpdate();
                    // inserted or already there: either way the next lock finds the row
                    return true;
                } catch (SQLException e) {
                    throw new BucketExceptions.BucketExecutionException(e);
                }
            }

            @Override
            public void update(byte[] data, RemoteBucketState state, Optional<Long> timeout) {
                try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                    applyTimeout(update, timeout);
                    update.setBytes(1, data);
                    update.setString(2, key);
                    update.executeUpdate();
                } catch (SQLException e) {
                    throw new BucketExceptions.BucketExecutionException(e);
                }
            }

            @Override
            public void commit(Optional<Long> timeout) {
                run(connection::commit);
            }

            @Override
            public void rollback() {
                run(connection::rollback);
            }

            @Override
            public void release() {
                run(connection::close);
            }
        };
    }

    @Override
    public void removeProxy(String key) {
        try (Connection connection = pool.getConnection(); PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, key);
            delete.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
    }

    private interface Statement {
        void run() throws SQLException;
    }

    private static void run(Statement statement) {
        try {
            statement.run();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
    }
}

package zapi.grouproutes.database;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import zapi.grouproutes.RootCause;

/**
 * The sink's connection pool, opened only once the schema is where this version expects it: Flyway
 * applies {@code db/migration} (one script set for H2 and PostgreSQL; MariaDB has its own,
 * {@code db/migration-mariadb}) before the first result is written. Several instances may start
 * together against one database: Flyway serializes them.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final DatabaseSettings settings;
    private final SqlTimes times;

    private Database(HikariDataSource pool, DatabaseSettings settings) {
        this.pool = pool;
        this.settings = settings;
        this.times = new SqlTimes(isMariaDb(settings.url()));
    }

    SqlTimes times() {
        return times;
    }

    /**
     * Connects, migrates and returns the open pool.
     *
     * @throws DatabaseStartupException naming the URL (without secrets) and the cause, when the
     *                                  database cannot be reached or migrated: the run must not start
     */
    public static Database open(DatabaseSettings settings) {
        HikariConfig config = poolConfig(settings, "zapi-db", settings.poolSize());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException unreachable) {
            if (settings.startupWait().isZero()) {
                throw new DatabaseStartupException("Database " + settings.safeUrl() + " is unreachable: " + RootCause.describe(unreachable), unreachable);
            }
            // a service whose database is not up yet waits for it (the pool keeps trying) rather than exit
            // and be restarted again and again by its supervisor
            LOG.warn("Database {} is unreachable ({}); waiting up to {} s for it before starting", settings.safeUrl(),
                    RootCause.describe(unreachable), settings.startupWait().toSeconds());
            config.setInitializationFailTimeout(settings.startupWait().toMillis());
            try {
                pool = new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw new DatabaseStartupException("Database " + settings.safeUrl() + " is unreachable after waiting "
                        + settings.startupWait().toSeconds() + " s: " + RootCause.describe(e), e);
            }
        }
        try {
            MigrateResult result = Flyway.configure().dataSource(pool).locations(migrations(settings.url())).load().migrate();
            LOG.info("Database {} ready: schema version {} ({} migrations applied now)", settings.safeUrl(),
                    result.targetSchemaVersion == null ? current(pool) : result.targetSchemaVersion, result.migrationsExecuted);
        } catch (RuntimeException e) {
            pool.close();
            throw new DatabaseStartupException("Database " + settings.safeUrl() + " could not be migrated: " + RootCause.describe(e), e);
        }
        return new Database(pool, settings);
    }

    /**
     * A second, small pool on the same database for a component that runs its own transactions (Quartz's
     * job store), so that it never waits behind the enrichment workers' writes, nor they behind it.
     */
    public HikariDataSource openPool(String name, int size) {
        return new HikariDataSource(poolConfig(settings, name, size));
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(h2Durable(settings.url()));
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
        // every group is written in its own explicit transaction
        config.setAutoCommit(false);
        // the isolation every write is designed for (and PostgreSQL's and H2's default); on InnoDB it
        // also avoids gap locks, which would make first-time writers of neighbouring groups deadlock
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (settings.url().startsWith("jdbc:postgresql:")) {
            // one round trip for a group's participants instead of one per member
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return config;
    }

    /**
     * Two defaults of an embedded H2 that break the sink's promises:
     * <ul>
     * <li>it closes itself from a JVM shutdown hook, under writers that are still finishing their groups
     * during a graceful shutdown; the pool closes it instead, after the routes stop (DB_CLOSE_ON_EXIT);</li>
     * <li>it writes a commit to disk up to 500 ms later, so a kill -9 loses groups the sink reported as
     * written, and whose input (a Kafka offset, a published report) was acknowledged on that word
     * (WRITE_DELAY=0 writes each commit before it returns).</li>
     * </ul>
     * A setting already in the URL is kept.
     */
    static String h2Durable(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        String durable = url;
        if (!upper.contains("DB_CLOSE_ON_EXIT")) {
            durable += ";DB_CLOSE_ON_EXIT=FALSE";
        }
        // only for a database this process opens itself: over tcp/ssl the server's owner sets it (it needs
        // admin rights), and an in-memory one has no disk to be late for
        boolean embeddedFile = !upper.startsWith("JDBC:H2:MEM:") && !upper.startsWith("JDBC:H2:TCP:") && !upper.startsWith("JDBC:H2:SSL:");
        if (!upper.contains("WRITE_DELAY") && embeddedFile) {
            durable += ";WRITE_DELAY=0";
        }
        return durable;
    }

    /** H2 and PostgreSQL share one script set; MariaDB (and MySQL) need their own dialect. */
    static String migrations(String url) {
        return isMariaDb(url) ? "classpath:db/migration-mariadb" : "classpath:db/migration";
    }

    /** MariaDB and MySQL: their own migrations, and times without a zone. */
    static boolean isMariaDb(String url) {
        return url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
    }

    private static String current(DataSource pool) {
        return Flyway.configure().dataSource(pool).load().info().current().getVersion().getVersion();
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** Work on one pooled connection, inside one transaction. */
    interface Transaction {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Runs the work in a transaction of its own: committed when the work returns, rolled back when it
     * throws. The SQLException reaches the caller as it is, because only the caller knows what it means
     * there: a conflict worth another try, an outage to wait out, or a fault.
     */
    void inTransaction(Transaction work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the pool discards it and the caller gets the first failure
                }
                throw e;
            }
        }
    }

    /**
     * {@link #inTransaction}, for work whose caller waits an outage out: a failure that is an outage
     * (DatabaseUnavailableException.isOutage) reaches it as a DatabaseUnavailableException naming the database
     * by its safe URL; any other SQLException as it is.
     */
    void inTransactionOrOutage(Transaction work) throws DatabaseUnavailableException, SQLException {
        try {
            inTransaction(work);
        } catch (SQLException e) {
            if (DatabaseUnavailableException.isOutage(e)) {
                throw new DatabaseUnavailableException(settings.safeUrl(), e);
            }
            throw e;
        }
    }

    /** Null when the database answers a trivial query within the connect timeout, else what is wrong (the intake probe). */
    public String problemReaching() {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid((int) Math.max(1, settings.connectTimeout().toSeconds())) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return DatabaseUnavailableException.describe(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}

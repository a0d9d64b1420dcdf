package zapi.grouproutes.database;

import java.time.Duration;

/**
 * Where the database sink writes and how hard it tries.
 *
 * @param url            JDBC URL; H2, PostgreSQL and MariaDB (or MySQL) are supported (the driver is chosen by the URL)
 * @param user           may be null (H2's default user, or the OS user for PostgreSQL)
 * @param password       may be null; never logged
 * @param poolSize       connections: one per enrichment worker plus the run-table writes
 * @param connectTimeout longest wait for a connection before the attempt counts as an outage
 * @param startupWait    how long startup waits for an unreachable database before it gives up (zero:
 *                       give up at once)
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, Duration connectTimeout,
                               Duration startupWait) {

    public DatabaseSettings(String url, String user, String password, int poolSize, Duration connectTimeout) {
        this(url, user, password, poolSize, connectTimeout, Duration.ZERO);
    }

    public DatabaseSettings {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("zapi.db.url must be a JDBC URL (jdbc:h2:..., jdbc:postgresql://...), not '"
                    + SafeUrl.of(url) + "'");
        }
        if (poolSize < 2) {
            // Flyway holds two connections while it migrates at startup
            throw new IllegalArgumentException("zapi.db.pool-size must be at least 2");
        }
    }

    /** The URL as it may be logged: no password, no query parameters (they can hold one). */
    public String safeUrl() {
        return SafeUrl.of(url);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + safeUrl() + ", user " + user + ", pool " + poolSize + "]";
    }
}

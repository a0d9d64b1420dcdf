package zapi.grouproutes.database;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import zapi.grouproutes.RootCause;

/**
 * The database did not take a write for a reason that waiting can fix: no connection, a dropped
 * connection, the server shutting down or out of resources, or (reported as "busy") lock contention
 * that outlasted the store's own conflict retries. The sink's route retries these with
 * backoff ({@code routes/error-handling/database-retries.camel.yaml}); any other SQL error is a fault
 * that retrying would only repeat, and stops the batch at once.
 */
public class DatabaseUnavailableException extends Exception {

    private final String sqlState;

    public DatabaseUnavailableException(String safeUrl, SQLException cause) {
        super("database " + safeUrl + (isContention(cause) ? " busy" : " unavailable") + " (" + describe(cause) + ")", cause);
        this.sqlState = cause.getSQLState();
    }

    public String sqlState() {
        return sqlState;
    }

    /**
     * SQLState classes 08 (connection), 53 (insufficient resources), 57 (operator intervention, e.g. a
     * server shutting down) and 58 (system error), and the JDBC transient/recoverable types (a pool
     * that timed out waiting for a connection throws {@link SQLTransientException}).
     */
    public static boolean isOutage(SQLException e) {
        if (isContention(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("58")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A healthy database that made the write wait too long or gave up on it to break a deadlock (class
     * 40, lock timeouts: PostgreSQL 55P03, H2 HYT00): waiting helps here too, but it is not an outage.
     */
    static boolean isContention(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (state != null && (state.startsWith("40") || state.equals("55P03") || state.equals("HYT00"))) {
                return true;
            }
        }
        return false;
    }

    public static String describe(SQLException e) {
        Throwable root = RootCause.of(e);
        String state = e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ";
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // driver messages can run to several lines (hints, server detail): the first is the cause
        int newline = message.indexOf('\n');
        return state + (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}

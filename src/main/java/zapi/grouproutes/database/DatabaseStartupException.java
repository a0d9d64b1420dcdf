package zapi.grouproutes.database;

/** The database sink is enabled but its database cannot be used: the application does not start. */
public final class DatabaseStartupException extends RuntimeException {

    public DatabaseStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}

package zapi.grouproutes.database;

import java.sql.SQLException;

/**
 * The run table could not be written at a batch's start or end because the database is down. Its own
 * type, so the source route retries exactly this step with backoff
 * ({@code routes/error-handling/source-failures.camel.yaml}) and nothing else.
 */
public final class RunRecordUnavailableException extends DatabaseUnavailableException {

    public RunRecordUnavailableException(String safeUrl, SQLException cause) {
        super(safeUrl, cause);
    }
}

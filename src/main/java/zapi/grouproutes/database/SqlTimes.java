package zapi.grouproutes.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * How instants go in and out of the database, always as UTC and to the millisecond (what every supported
 * database stores exactly, so a replayed result compares equal). PostgreSQL and H2 have TIMESTAMP WITH
 * TIME ZONE; MariaDB's DATETIME has no zone, and its driver would convert through the JVM's default
 * zone, so there the UTC wall-clock time is bound and read as is.
 */
final class SqlTimes {

    private final boolean zoneless;

    /** @param zoneless the database's times have no zone (MariaDB, MySQL) */
    SqlTimes(boolean zoneless) {
        this.zoneless = zoneless;
    }

    void bind(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, zoneless ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
        } else if (zoneless) {
            statement.setObject(index, LocalDateTime.ofInstant(millis(value), ZoneOffset.UTC));
        } else {
            statement.setObject(index, millis(value).atOffset(ZoneOffset.UTC));
        }
    }

    Instant read(ResultSet rs, int index) throws SQLException {
        if (zoneless) {
            LocalDateTime value = rs.getObject(index, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}

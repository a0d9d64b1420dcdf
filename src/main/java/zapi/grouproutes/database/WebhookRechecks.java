package zapi.grouproutes.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The re-checks Z-API's group webhooks asked for ({@code zapi_webhook_recheck}, Flyway V6), one row per group.
 * Portable SQL only (PostgreSQL, MariaDB, H2), and safe with several instances on one database:
 * <ul>
 * <li>{@link #note}: an update that counts the notification into the group's row, or the row's insert due one
 * coalescing window later; two instances inserting the same group at once end with one row (the loser of the
 * primary key updates instead). Committed before the callback is answered.</li>
 * <li>{@link #claimDue}: a due row is claimed by a conditional update (unclaimed, or its lease expired), which
 * the database serializes per row: of two instances, one claims it. The lease is how a claim of an instance
 * that was killed comes back.</li>
 * <li>{@link #settled}: the re-check's result went through every sink. The row goes, unless notifications came
 * meanwhile (notes grew): then it is released and due again one window later, for what they may have changed.</li>
 * </ul>
 */
public final class WebhookRechecks {

    /** A claimed re-check: the group, and the notes counted when it was claimed. */
    public record Claim(String groupId, long notes) {
    }

    private final Database database;

    public WebhookRechecks(Database database) {
        this.database = database;
    }

    /** Counts a notification for the group in; a group without a row gets one, due {@code windowMs} later. */
    public void note(String groupId, String notification, long nowMs, long windowMs) throws DatabaseUnavailableException, SQLException {
        try {
            database.inTransactionOrOutage(c -> {
                if (countIn(c, groupId, notification) == 0) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO zapi_webhook_recheck (group_id, due_at_ms, first_noted_ms, notes,"
                            + " last_notification) VALUES (?, ?, ?, 1, ?)")) {
                        s.setString(1, groupId);
                        s.setLong(2, nowMs + windowMs);
                        s.setLong(3, nowMs);
                        s.setString(4, notification);
                        s.executeUpdate();
                    }
                }
            });
        } catch (SQLException e) {
            if (!duplicateKey(e)) {
                throw e;
            }
            // another instance inserted the group's row between our update and insert: it is there now
            database.inTransactionOrOutage(c -> countIn(c, groupId, notification));
        }
    }

    private static int countIn(java.sql.Connection c, String groupId, String notification) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE zapi_webhook_recheck SET notes = notes + 1, last_notification = ? WHERE group_id = ?")) {
            s.setString(1, notification);
            s.setString(2, groupId);
            return s.executeUpdate();
        }
    }

    /** Claims up to {@code limit} due rows for {@code leaseMs}; what another instance claimed first is not returned. */
    public List<Claim> claimDue(long nowMs, long leaseMs, int limit) throws DatabaseUnavailableException, SQLException {
        List<Claim> claimed = new ArrayList<>();
        database.inTransactionOrOutage(c -> {
            List<String> due = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT group_id FROM zapi_webhook_recheck WHERE due_at_ms <= ?"
                    + " AND (claimed_until_ms IS NULL OR claimed_until_ms < ?) ORDER BY due_at_ms")) {
                s.setMaxRows(limit);
                s.setLong(1, nowMs);
                s.setLong(2, nowMs);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        due.add(rs.getString(1));
                    }
                }
            }
            for (String groupId : due) {
                try (PreparedStatement s = c.prepareStatement("UPDATE zapi_webhook_recheck SET claimed_until_ms = ?, claimed_notes = notes"
                        + " WHERE group_id = ? AND due_at_ms <= ? AND (claimed_until_ms IS NULL OR claimed_until_ms < ?)")) {
                    s.setLong(1, nowMs + leaseMs);
                    s.setString(2, groupId);
                    s.setLong(3, nowMs);
                    s.setLong(4, nowMs);
                    if (s.executeUpdate() == 0) {
                        continue;
                    }
                }
                try (PreparedStatement s = c.prepareStatement("SELECT claimed_notes FROM zapi_webhook_recheck WHERE group_id = ?")) {
                    s.setString(1, groupId);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            claimed.add(new Claim(groupId, rs.getLong(1)));
                        }
                    }
                }
            }
        });
        return claimed;
    }

    /** The claimed re-check's result went through every sink. */
    public void settled(Claim claim, long nowMs, long windowMs) throws DatabaseUnavailableException, SQLException {
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM zapi_webhook_recheck WHERE group_id = ? AND notes = ?")) {
                s.setString(1, claim.groupId());
                s.setLong(2, claim.notes());
                if (s.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE zapi_webhook_recheck SET claimed_until_ms = NULL, claimed_notes = NULL,"
                    + " due_at_ms = ? WHERE group_id = ?")) {
                s.setLong(1, nowMs + windowMs);
                s.setString(2, claim.groupId());
                s.executeUpdate();
            }
        });
    }

    /** Gives claims back (a poll that failed): due again at once, for whichever instance polls next. */
    public void release(List<Claim> claims) throws DatabaseUnavailableException, SQLException {
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE zapi_webhook_recheck SET claimed_until_ms = NULL, claimed_notes = NULL"
                    + " WHERE group_id = ? AND claimed_notes IS NOT NULL")) {
                for (Claim claim : claims) {
                    s.setString(1, claim.groupId());
                    s.executeUpdate();
                }
            }
        });
    }

    /** How many groups have a re-check pending (claimed or not). */
    public long pending() throws DatabaseUnavailableException, SQLException {
        long[] count = new long[1];
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM zapi_webhook_recheck"); ResultSet rs = s.executeQuery()) {
                rs.next();
                count[0] = rs.getLong(1);
            }
        });
        return count[0];
    }

    private static boolean duplicateKey(SQLException e) {
        // 23505: PostgreSQL and H2; 23000 with 1062: MariaDB and MySQL
        return "23505".equals(e.getSQLState()) || ("23000".equals(e.getSQLState()) && e.getErrorCode() == 1062)
                || e instanceof java.sql.SQLIntegrityConstraintViolationException;
    }

}

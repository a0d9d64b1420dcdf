package zapi.grouproutes.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Many stored groups at once, for the group list's scale checks: rows of {@code zapi_group} written in JDBC
 * batches (100,000 through the sinks would take minutes per database, and these checks are about reading).
 * Group i is {@code 120363<12 digits of i>-group}; one in 100 FAILED, one in 50 PARTIAL, the rest OK; its
 * subject names i, so a subject search can find exactly one.
 */
public final class ManyGroups {

    private ManyGroups() {
    }

    public static String id(int i) {
        return String.format("120363%012d-group", i);
    }

    public static String status(int i) {
        return i % 100 == 0 ? "FAILED" : i % 50 == 0 ? "PARTIAL" : "OK";
    }

    public static void store(TestDatabase database, int count) throws SQLException {
        Timestamp now = Timestamp.from(Instant.parse("2026-12-01T06:00:00Z"));
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO zapi_group (group_id, invitation_link, subject, participants_count,"
                    + " last_status, first_seen_at, last_fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    s.setString(1, id(i));
                    s.setString(2, "https://chat.whatsapp.com/Link" + i);
                    s.setString(3, "Group number " + i + " of many");
                    s.setInt(4, 2 + i % 200);
                    s.setString(5, status(i));
                    s.setTimestamp(6, now);
                    s.setTimestamp(7, now);
                    s.addBatch();
                    if (i % 5000 == 4999) {
                        s.executeBatch();
                        c.commit();
                    }
                }
                s.executeBatch();
                c.commit();
            }
        }
    }
}

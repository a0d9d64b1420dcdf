package zapi.grouproutes.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import zapi.grouproutes.enrichment.GroupResult;

/**
 * The {@code storedLinks} bean of deliver-result: whether a result's link differs from the one the
 * database holds for the group, read before any sink runs. The topic sink announces the change, and a
 * schedule tick's rotation report lists it.
 *
 * <p>Why before: the database sink runs last. A link change found while writing would
 * be lost whenever the result is delivered again (a failed send, a crash before the input was
 * acknowledged): the second time, the stored link is already the new one. Read before the write, a
 * repeat finds the same old link and announces the same change again, under the same event id.
 */
public final class StoredLinks {

    private final Database database;

    /** @param database null without the database sink: no link is known, no change is announced */
    public StoredLinks(Database database) {
        this.database = database;
    }

    public void compare(GroupResult result) throws DatabaseUnavailableException, SQLException {
        if (database == null || result.isRejected() || result.invitationLink() == null) {
            return;
        }
        String[] stored = new String[1];
        Instant[] lastSeen = new Instant[1];
        try {
            database.inTransaction(c -> {
                // the stored link, and when it was last seen: its own history row
                try (PreparedStatement s = c.prepareStatement("SELECT g.invitation_link, l.last_seen_at FROM zapi_group g"
                        + " LEFT JOIN zapi_invitation_link l ON l.group_id = g.group_id AND l.invitation_link = g.invitation_link"
                        + " WHERE g.group_id = ?")) {
                    s.setString(1, result.groupId());
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            stored[0] = rs.getString(1);
                            lastSeen[0] = database.times().read(rs, 2);
                        }
                    }
                }
            });
        } catch (SQLException e) {
            if (DatabaseUnavailableException.isOutage(e)) {
                throw new DatabaseUnavailableException(database.settings().safeUrl(), e);
            }
            throw e;
        }
        if (stored[0] != null && !stored[0].equals(result.invitationLink())) {
            result.linkReplaced(stored[0], lastSeen[0]);
        }
    }
}

package zapi.grouproutes.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import zapi.grouproutes.enrichment.GroupResult;

/**
 * The {@code storedLinks} bean: the link the database holds for a group before a result, read before any
 * sink runs (deliver-result) and before a rotate tick revokes it. A different link in the result is a link
 * change: the topic sink announces it, a schedule tick's rotation report lists it.
 *
 * <p>Why before: the database sink runs last. A link change found while writing would be lost whenever
 * the result is delivered again (a failed send, a crash before the input was acknowledged): the second
 * time, the stored link is already the new one. Read before the write, a repeat finds the same old link
 * and announces the same change again, under the same event id.
 *
 * <p>Two links count as the one before besides the current one: a link kept as possibly revoked (a
 * redefine whose answer was lost; {@code zapi_group.possibly_revoked_link}), and for a result an earlier,
 * unfinished run of the same input stored (resumed, as in a tick recovered after a crash), the link that
 * run replaced, from the link history: that run's report was never published, so this one lists it.
 */
public final class StoredLinks {

    private final Database database;

    /** @param database null without the database sink: no link is known, no change is announced */
    public StoredLinks(Database database) {
        this.database = database;
    }

    public void compare(GroupResult result) throws DatabaseUnavailableException, SQLException {
        if (database == null || result.isRejected()) {
            return;
        }
        try {
            database.inTransaction(c -> compare(c, result));
        } catch (SQLException e) {
            if (DatabaseUnavailableException.isOutage(e)) {
                throw new DatabaseUnavailableException(database.settings().safeUrl(), e);
            }
            throw e;
        }
    }

    private void compare(Connection c, GroupResult result) throws SQLException {
        SqlTimes times = database.times();
        // the stored link (or the one kept as possibly revoked), with its history row's times
        try (PreparedStatement s = c.prepareStatement("SELECT l.invitation_link, l.first_seen_at, l.last_seen_at FROM zapi_group g"
                + " JOIN zapi_invitation_link l ON l.group_id = g.group_id"
                + " AND l.invitation_link = COALESCE(g.invitation_link, g.possibly_revoked_link) WHERE g.group_id = ?")) {
            s.setString(1, result.groupId());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                String stored = rs.getString(1);
                Instant firstSeen = times.read(rs, 2);
                result.linkBefore(stored, times.read(rs, 3));
                // a resumed result is the stored one: did the run that stored it bring this link?
                if (result.isResumed() && stored.equals(result.invitationLink()) && result.fetchedAt() != null
                        && !firstSeen.isBefore(SqlTimes.millis(result.fetchedAt()))) {
                    replacedBy(c, result, stored, firstSeen);
                }
            }
        }
    }

    /** The link the group had before {@code link} first appeared: the history row last seen before it. */
    private void replacedBy(Connection c, GroupResult result, String link, Instant firstSeen) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT invitation_link, last_seen_at FROM zapi_invitation_link"
                + " WHERE group_id = ? AND invitation_link <> ? AND last_seen_at <= ? ORDER BY last_seen_at DESC LIMIT 1")) {
            s.setString(1, result.groupId());
            s.setString(2, link);
            database.times().bind(s, 3, firstSeen);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    result.linkBefore(rs.getString(1), database.times().read(rs, 2));
                }
            }
        }
    }
}

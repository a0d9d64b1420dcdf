package zapi.grouproutes.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import zapi.grouproutes.enrichment.GroupResult;

/**
 * The {@code storedLinks} bean of the topic sink: whether a result's link differs from the one the
 * database holds for the group, read before the database sink writes it.
 *
 * <p>Why before: the topic sink runs ahead of the database sink. A link change found while writing would
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
        try {
            database.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT invitation_link FROM zapi_group WHERE group_id = ?")) {
                    s.setString(1, result.groupId());
                    try (ResultSet rs = s.executeQuery()) {
                        stored[0] = rs.next() ? rs.getString(1) : null;
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
            result.linkReplaced(stored[0]);
        }
    }
}

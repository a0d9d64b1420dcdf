package zapi.grouproutes.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import zapi.grouproutes.enrichment.GroupLookup;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.zapi.GroupMetadata;
import zapi.grouproutes.zapi.Participant;

/**
 * Reads back what an unfinished run stored for a group, so a rerun of the same input reuses it instead of
 * asking Z-API again (resume). Only a group whose last fetch was OK and was written by one of those runs
 * qualifies: anything fetched since by another input, or that failed, is fetched again.
 */
public final class StoredGroups implements GroupLookup.StoredResults {

    private final Database database;
    private final SqlTimes times;

    public StoredGroups(Database database) {
        this.database = database;
        this.times = database.times();
    }

    @Override
    public boolean restore(GroupResult result, List<String> runIds) throws DatabaseUnavailableException, SQLException {
        boolean[] restored = new boolean[1];
        try {
            database.inTransaction(c -> restored[0] = restore(c, result, runIds));
        } catch (SQLException e) {
            if (DatabaseUnavailableException.isOutage(e)) {
                throw new DatabaseUnavailableException(database.settings().safeUrl(), e);
            }
            throw e;
        }
        return restored[0];
    }

    private boolean restore(Connection c, GroupResult result, List<String> runIds) throws SQLException {
        String groupId = result.groupId();
        String sql = "SELECT invitation_link, owner, subject, description, created_at, contacts_count, participants_count, subject_time,"
                + " subject_owner, last_fetched_at FROM zapi_group WHERE group_id = ? AND last_status = 'OK' AND last_run_id IN ("
                + String.join(", ", Collections.nCopies(runIds.size(), "?")) + ")";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, groupId);
            for (int i = 0; i < runIds.size(); i++) {
                s.setString(i + 2, runIds.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                String link = rs.getString(1);
                GroupMetadata metadata = new GroupMetadata(groupId, rs.getString(2), rs.getString(3), rs.getString(4), millis(times.read(rs, 5)),
                        link, count(rs, 6), count(rs, 7), participants(c, groupId), millis(times.read(rs, 8)), rs.getString(9), null, null);
                result.restored(link, metadata, times.read(rs, 10));
                return true;
            }
        }
    }

    private static List<Participant> participants(Connection c, String groupId) throws SQLException {
        List<Participant> members = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT phone, is_admin, is_super_admin FROM zapi_group_participant WHERE group_id = ? ORDER BY phone")) {
            s.setString(1, groupId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    members.add(new Participant(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), null, null));
                }
            }
        }
        return members;
    }

    private static Integer count(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}

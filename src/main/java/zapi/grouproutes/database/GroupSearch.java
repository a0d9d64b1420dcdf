package zapi.grouproutes.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The stored groups a page at a time, for {@code GET /api/groups}: keyset pages in group ID order (each
 * page starts after the last ID of the one before, so page 1000 costs what page 1 does), narrowed by status
 * and by a text that is the start of a group ID or part of a subject. The status filter reads the index on
 * (last_status, group_id) (migration V8); an ID prefix the primary key's; a subject text scans in key order
 * until the page is full.
 */
public final class GroupSearch {

    /** What a group's row shows in the list; a value it does not have is left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GroupSummary(String groupId, String invitationLink, String subject, Integer participantsCount, String status,
            String lastSeenAt, String leftAt) {
    }

    /** One page; {@code next} is the cursor of the following page, absent on the last. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GroupPage(List<GroupSummary> groups, String next) {
    }

    /** The filter of a page: a status (OK, PARTIAL, FAILED, LEFT) or none, a text or none. */
    public record Filter(String status, String text) {
    }

    private final Database database;
    private final SqlTimes times;

    public GroupSearch(Database database) {
        this.database = database;
        this.times = database.times();
    }

    /** Up to {@code limit} groups after {@code after} (a group ID, or null for the first page). */
    public GroupPage page(Filter filter, String after, int limit) throws DatabaseUnavailableException, SQLException {
        List<String> values = new ArrayList<>();
        values.add(after == null ? "" : after);
        if (filter.status() != null && !"LEFT".equals(filter.status())) {
            values.add(filter.status());
        }
        if (filter.text() != null) {
            String escaped = filter.text().replace("!", "!!").replace("%", "!%").replace("_", "!_");
            values.add(escaped + "%");
            values.add("%" + escaped.toLowerCase(Locale.ROOT) + "%");
        }
        String sql = sql(filter);
        List<GroupSummary> groups = new ArrayList<>();
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                for (String value : values) {
                    s.setString(i++, value);
                }
                s.setInt(i, limit + 1);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        int count = rs.getInt(4);
                        groups.add(new GroupSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.wasNull() ? null : count, rs.getString(5),
                                GroupReadings.iso(times.read(rs, 6)), GroupReadings.iso(times.read(rs, 7))));
                    }
                }
            }
        });
        boolean more = groups.size() > limit;
        List<GroupSummary> page = more ? groups.subList(0, limit) : groups;
        return new GroupPage(List.copyOf(page), more ? page.get(page.size() - 1).groupId() : null);
    }

    /** The page's statement: its parameters are the cursor, the status unless LEFT or none, the text twice, the limit. */
    static String sql(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT group_id, invitation_link, subject, participants_count, last_status, last_fetched_at, left_at"
                + " FROM zapi_group WHERE group_id > ?");
        if ("LEFT".equals(filter.status())) {
            sql.append(" AND left_at IS NOT NULL");
        } else if (filter.status() != null) {
            sql.append(" AND last_status = ?");
        }
        if (filter.text() != null) {
            // an ID's start (the key's range) or a part of the subject, either case
            sql.append(" AND (group_id LIKE ? ESCAPE '!' OR LOWER(subject) LIKE ? ESCAPE '!')");
        }
        return sql.append(" ORDER BY group_id LIMIT ?").toString();
    }
}

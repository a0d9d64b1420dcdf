package zapi.grouproutes.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The links that replaced another since a time, each with the one it replaced: the rotation report's query
 * (docs/sinks.md) over {@code zapi_invitation_link}, for {@code GET /api/rotations}, with the count per UTC day.
 * The history's first_seen_at index narrows it to the period.
 */
public final class LinkRotations {

    /** One link change: the group's previous link, the new one, and when the new one was first seen. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rotation(String groupId, String subject, String previousLink, String newLink, String rotatedAt) {
    }

    /** How many links changed on one UTC day (yyyy-MM-dd). */
    public record Day(String day, long rotations) {
    }

    /** The changes since {@code since}, newest first, and per day. */
    public record Rotations(String since, List<Rotation> rotations, List<Day> perDay) {
    }

    /** Most changes one answer lists; the per-day counts cover them all. */
    public static final int MAX_LISTED = 5000;

    private final Database database;
    private final SqlTimes times;

    public LinkRotations(Database database) {
        this.database = database;
        this.times = database.times();
    }

    public Rotations since(Instant since) throws DatabaseUnavailableException, SQLException {
        List<Rotation> rotations = new ArrayList<>();
        Map<String, Long> perDay = new TreeMap<>();
        database.inTransactionOrOutage(c -> {
            // the previous link of each new one, from the rows of that group only (LAG over the group's history)
            try (PreparedStatement s = c.prepareStatement("SELECT group_id, subject, previous_link, invitation_link, first_seen_at FROM ("
                    + " SELECT l.group_id, g.subject, l.invitation_link, l.first_seen_at,"
                    + " LAG(l.invitation_link) OVER (PARTITION BY l.group_id ORDER BY l.first_seen_at) AS previous_link"
                    + " FROM zapi_invitation_link l JOIN zapi_group g ON g.group_id = l.group_id"
                    + " WHERE l.group_id IN (SELECT group_id FROM zapi_invitation_link WHERE first_seen_at >= ?)) links"
                    + " WHERE previous_link IS NOT NULL AND first_seen_at >= ? ORDER BY first_seen_at DESC, group_id")) {
                times.bind(s, 1, since);
                times.bind(s, 2, since);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Instant at = times.read(rs, 5);
                        perDay.merge(at.toString().substring(0, 10), 1L, Long::sum);
                        if (rotations.size() < MAX_LISTED) {
                            rotations.add(new Rotation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), at.toString()));
                        }
                    }
                }
            }
        });
        List<Day> days = perDay.entrySet().stream().map(e -> new Day(e.getKey(), e.getValue())).toList();
        return new Rotations(since.toString(), List.copyOf(rotations), days);
    }
}

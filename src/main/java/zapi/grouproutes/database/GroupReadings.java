package zapi.grouproutes.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the database sink stored, read back for the http source's read operations: a group's current
 * result ({@code zapi_group}), its invitation-link history ({@code zapi_invitation_link}) and its
 * participants-count readings ({@code zapi_group_reading}), newest first.
 * Reads only; each in a transaction of its own, so a page's count and rows agree.
 */
public final class GroupReadings {

    /**
     * A group's stored result as the API answers it; a value the group does not have (the error fields unless
     * the last fetch failed, a subject never fetched) is left out of the JSON, as the OpenAPI document says,
     * rather than sent as a null its schema does not allow.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredResult(String groupId, String invitationLink, String subject, Integer participantsCount, String status,
            String lastSeenAt, String lastOkAt, String errorCode, String errorMessage) {
    }

    /** One link the group has had: when it was first and last seen (ISO-8601, UTC). */
    public record LinkSeen(String invitationLink, String firstSeenAt, String lastSeenAt) {
    }

    /** One page of a group's link history, newest first. */
    public record LinkPage(String groupId, int page, int size, long total, List<LinkSeen> links) {
    }

    /** One check of the group that brought its metadata: when, its outcome, and the participants count then. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reading(String checkedAt, String status, Integer participantsCount) {
    }

    /** The group's latest readings, newest first, at most {@code limit}. */
    public record ReadingList(String groupId, int limit, List<Reading> readings) {
    }

    private final Database database;
    private final SqlTimes times;

    public GroupReadings(Database database) {
        this.database = database;
        this.times = database.times();
    }

    /** The group's stored result, or empty if it was never enriched. */
    public Optional<StoredResult> result(String groupId) throws DatabaseUnavailableException, SQLException {
        List<StoredResult> found = new ArrayList<>(1);
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT invitation_link, subject, participants_count, last_status, last_fetched_at, last_ok_at,"
                    + " last_error_code, last_error_message FROM zapi_group WHERE group_id = ?")) {
                s.setString(1, groupId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        int count = rs.getInt(3);
                        found.add(new StoredResult(groupId, rs.getString(1), rs.getString(2), rs.wasNull() ? null : count, rs.getString(4),
                                iso(times.read(rs, 5)), iso(times.read(rs, 6)), rs.getString(7), rs.getString(8)));
                    }
                }
            }
        });
        return found.stream().findFirst();
    }

    /** A page of the group's links, newest first; empty if the group was never enriched. */
    public Optional<LinkPage> links(String groupId, int page, int size) throws DatabaseUnavailableException, SQLException {
        List<LinkPage> found = new ArrayList<>(1);
        database.inTransactionOrOutage(c -> {
            long total;
            try (PreparedStatement s = c.prepareStatement("SELECT (SELECT COUNT(*) FROM zapi_invitation_link l WHERE l.group_id = g.group_id)"
                    + " FROM zapi_group g WHERE g.group_id = ?")) {
                s.setString(1, groupId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    total = rs.getLong(1);
                }
            }
            List<LinkSeen> links = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT invitation_link, first_seen_at, last_seen_at FROM zapi_invitation_link WHERE group_id = ?"
                    + " ORDER BY first_seen_at DESC, last_seen_at DESC, invitation_link LIMIT ? OFFSET ?")) {
                s.setString(1, groupId);
                s.setInt(2, size);
                s.setLong(3, (long) page * size);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        links.add(new LinkSeen(rs.getString(1), iso(times.read(rs, 2)), iso(times.read(rs, 3))));
                    }
                }
            }
            found.add(new LinkPage(groupId, page, size, total, List.copyOf(links)));
        });
        return found.stream().findFirst();
    }

    /** The group's latest readings ({@code zapi_group_reading}), newest first; empty if the group was never enriched. */
    public Optional<ReadingList> readings(String groupId, int limit) throws DatabaseUnavailableException, SQLException {
        List<ReadingList> found = new ArrayList<>(1);
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM zapi_group WHERE group_id = ?")) {
                s.setString(1, groupId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                }
            }
            List<Reading> readings = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT checked_at, status, participants_count FROM zapi_group_reading WHERE group_id = ?"
                    + " ORDER BY checked_at DESC LIMIT ?")) {
                s.setString(1, groupId);
                s.setInt(2, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        int count = rs.getInt(3);
                        readings.add(new Reading(iso(times.read(rs, 1)), rs.getString(2), rs.wasNull() ? null : count));
                    }
                }
            }
            found.add(new ReadingList(groupId, limit, List.copyOf(readings)));
        });
        return found.stream().findFirst();
    }

    /** ISO-8601 in UTC, as every time the API answers (the console's reads too: GroupSearch, RunHistory). */
    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

}

package zapi.grouproutes.http;

import java.sql.SQLException;

import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.database.GroupReadings;
import zapi.grouproutes.group.GroupId;

/**
 * The read operations of the API (routes/sources/http-api.camel.yaml): the request's values checked, with
 * the bad one named, then what the database sink stored.
 */
public final class GroupQueries {

    /** Most links one page may hold. */
    static final int MAX_PAGE_SIZE = 100;

    /** Most readings one answer may hold (a year of daily checks, with room). */
    static final int MAX_READINGS = 500;

    private final GroupReadings readings;

    public GroupQueries(GroupReadings readings) {
        this.readings = readings;
    }

    /** {@code GET /api/groups/{groupId}}. */
    public GroupReadings.StoredResult result(String groupId) throws BadRequestException, UnknownGroupException, DatabaseUnavailableException,
            SQLException {
        GroupId id = groupId(groupId);
        return readings.result(id.value()).orElseThrow(() -> new UnknownGroupException(id.value()));
    }

    /** {@code GET /api/groups/{groupId}/links?page=&size=}. */
    public GroupReadings.LinkPage links(String groupId, String page, String size) throws BadRequestException, UnknownGroupException,
            DatabaseUnavailableException, SQLException {
        GroupId id = groupId(groupId);
        int pageNumber = number("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int pageSize = number("size", size, 20, 1, MAX_PAGE_SIZE);
        return readings.links(id.value(), pageNumber, pageSize).orElseThrow(() -> new UnknownGroupException(id.value()));
    }

    /** {@code GET /api/groups/{groupId}/readings?limit=}. */
    public GroupReadings.ReadingList readings(String groupId, String limit) throws BadRequestException, UnknownGroupException,
            DatabaseUnavailableException, SQLException {
        GroupId id = groupId(groupId);
        int most = number("limit", limit, 100, 1, MAX_READINGS);
        return readings.readings(id.value(), most).orElseThrow(() -> new UnknownGroupException(id.value()));
    }

    static GroupId groupId(String raw) throws BadRequestException {
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            throw new BadRequestException("groupId is missing.");
        }
        GroupId.Parsed parsed = GroupId.parse(value);
        if (!parsed.isValid()) {
            throw new BadRequestException("groupId '" + printable(value) + "' " + parsed.rejection() + ".");
        }
        return parsed.groupId();
    }

    static int number(String field, String raw, int fallback, int min, int max) throws BadRequestException {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new BadRequestException(field + " must be a whole number from " + min + " to " + max + ", not '" + printable(raw) + "'.");
    }

    /** A caller's value echoed in a detail: cut, and without control characters. */
    static String printable(String raw) {
        String cut = raw.length() > 80 ? raw.substring(0, 80) + "..." : raw;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

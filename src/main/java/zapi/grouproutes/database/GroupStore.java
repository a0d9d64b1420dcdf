package zapi.grouproutes.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.enrichment.Outcome;
import zapi.grouproutes.zapi.GroupMetadata;
import zapi.grouproutes.zapi.Participant;

/**
 * Writes one settled result into {@code zapi_group}, {@code zapi_invitation_link} and
 * {@code zapi_group_participant}, in one transaction, through bind parameters only.
 *
 * <p>Every write is an idempotent upsert, because sources deliver at least once: replaying a result
 * leaves the same rows. The group's row is locked first ({@code SELECT ... FOR UPDATE}) in every
 * transaction, so concurrent writers of one group queue behind each other instead of interleaving or
 * deadlocking; a writer whose result is older than the stored fetch only adds to the link history,
 * so a late, stale result never overwrites newer data. A FAILED or PARTIAL fetch records its outcome
 * and keeps the last good link, metadata and participants.
 *
 * <p>An OK result also adds a row to {@code zapi_group_reading} (its participants count at its fetch time),
 * keyed by group and time, so a replay adds nothing; the group's readings older than the kept period go
 * in the same transaction, which bounds the table per group.
 */
public final class GroupStore {

    /** Two first-time writers of one group can both find no row and both insert: the loser retries. */
    private static final int CONFLICT_ATTEMPTS = 5;

    private final Database database;
    private final SqlTimes times;
    private final Clock clock;
    /** How long a group's readings are kept; null: for ever. */
    private final Duration readingsKept;
    private volatile GroupWriteListener listener = GroupWriteListener.NONE;

    public GroupStore(Database database, Clock clock) {
        this(database, clock, null);
    }

    /** @param readingsKept how long a group's participants-count readings are kept (null: for ever) */
    public GroupStore(Database database, Clock clock, Duration readingsKept) {
        this.database = database;
        this.times = database.times();
        this.clock = clock;
        this.readingsKept = readingsKept;
    }

    /** The sink's entry point: REJECTED inputs are not groups and are only counted in the run's row. */
    public void write(GroupResult result, Batch batch) throws DatabaseUnavailableException, SQLException {
        if (result.outcome() == null) {
            throw new IllegalStateException("unsettled result reached the database sink: " + result);
        }
        if (result.isRejected() || result.isResumed()) {
            // a resumed result is the stored one: writing it again would only move its times
            return;
        }
        long started = System.nanoTime();
        boolean written = false;
        try {
            store(result, batch == null ? null : batch.runId());
            written = true;
        } finally {
            listener.wrote(Duration.ofNanos(System.nanoTime() - started), written);
        }
    }

    /** Tells the listener how long each write takes from now on (set while wiring, before the first write). */
    public void reportTo(GroupWriteListener listener) {
        this.listener = listener == null ? GroupWriteListener.NONE : listener;
    }

    private void store(GroupResult result, String runId) throws DatabaseUnavailableException, SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                database.inTransaction(connection -> write(connection, result, runId));
                return;
            } catch (SQLException e) {
                if (isConflict(e) && attempt < CONFLICT_ATTEMPTS) {
                    continue;
                }
                if (DatabaseUnavailableException.isOutage(e)) {
                    throw new DatabaseUnavailableException(database.settings().safeUrl(), e);
                }
                throw e;
            }
        }
    }

    private void write(Connection c, GroupResult result, String runId) throws SQLException {
        String groupId = result.groupId();
        Instant at = SqlTimes.millis(result.fetchedAt() != null ? result.fetchedAt() : clock.instant());
        StoredFetch stored = lockGroup(c, groupId);
        if (stored == null) {
            // first sight: plain inserts, nothing to update or replace; a rotate tick asked for the link
            // it revoked, which is history too
            insertGroup(c, result, at, runId);
            insertLink(c, groupId, result.linkAskedBefore(), result.previousSeenAt());
            if (!java.util.Objects.equals(result.invitationLink(), result.linkAskedBefore())) {
                insertLink(c, groupId, result.invitationLink(), at);
            }
            if (result.outcome() == Outcome.OK) {
                insertParticipants(c, groupId, result.metadata());
            }
            recordReading(c, result, at);
            keepPossiblyRevoked(c, result);
            return;
        }
        if (stored.lastFetchedAt().isAfter(at)) {
            // a late result: a newer fetch already set the outcome. Its link is history all the same,
            // and an OK one still brings the newest metadata there is if the newer fetches failed.
            if (result.outcome() == Outcome.OK && (stored.lastOkAt() == null || !stored.lastOkAt().isAfter(at))) {
                updateLateData(c, result, at);
                deleteParticipants(c, groupId);
                insertParticipants(c, groupId, result.metadata());
            }
            recordLink(c, groupId, result.invitationLink(), at);
            recordReading(c, result, at);
            return;
        }
        switch (result.outcome()) {
            case OK -> {
                updateAll(c, result, at, runId);
                deleteParticipants(c, groupId);
                insertParticipants(c, groupId, result.metadata());
            }
            case PARTIAL -> updateLinkAndOutcome(c, result, at, runId);
            case FAILED -> updateOutcome(c, result, at, runId);
            default -> throw new IllegalStateException("not a fetch outcome: " + result.outcome());
        }
        recordLink(c, groupId, result.linkAskedBefore(), result.previousSeenAt());
        recordLink(c, groupId, result.invitationLink(), at);
        recordReading(c, result, at);
        if (result.isRotationUnknown()) {
            keepPossiblyRevoked(c, result);
        } else if (stored.possiblyRevoked() && result.invitationLink() != null) {
            // Z-API named the group's link again: the one kept as possibly revoked is settled, either as
            // current again (the same link) or as replaced (the change was announced from it)
            clearPossiblyRevoked(c, groupId);
        }
    }

    /** When the stored row was last fetched, and last fetched OK (null: never); whether its link is kept as possibly revoked. */
    private record StoredFetch(Instant lastFetchedAt, Instant lastOkAt, boolean possiblyRevoked) {
    }

    private StoredFetch lockGroup(Connection c, String groupId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT last_fetched_at, last_ok_at, possibly_revoked_link FROM zapi_group"
                + " WHERE group_id = ? FOR UPDATE")) {
            s.setString(1, groupId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new StoredFetch(times.read(rs, 1), times.read(rs, 2), rs.getString(3) != null) : null;
            }
        }
    }

    /**
     * A redefine whose answer was lost: the link it may have revoked is no longer the current one. It is
     * kept apart as possibly revoked, so the next tick re-checks the group (ManagedGroups lists it
     * whatever the tick's filters) and the next result announces the change from it.
     */
    private void keepPossiblyRevoked(Connection c, GroupResult result) throws SQLException {
        if (!result.isRotationUnknown()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE zapi_group SET possibly_revoked_link = COALESCE(invitation_link,"
                + " possibly_revoked_link, ?), invitation_link = NULL WHERE group_id = ?")) {
            s.setString(1, text(result.linkBefore()));
            s.setString(2, result.groupId());
            s.executeUpdate();
        }
    }

    private static void clearPossiblyRevoked(Connection c, String groupId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE zapi_group SET possibly_revoked_link = NULL WHERE group_id = ?")) {
            s.setString(1, groupId);
            s.executeUpdate();
        }
    }

    /** The latest data, in {@link #bindData} order. */
    private static final String DATA_COLUMNS = "invitation_link, subject, description, owner, created_at, participants_count,"
            + " contacts_count, admins_count, subject_owner, subject_time";

    /** The outcome of the last fetch, which every fetch sets, in {@link #bindOutcome} order. */
    private static final String OUTCOME_COLUMNS = "last_status, last_error_code, last_error_message, last_fetched_at, last_run_id";

    private static final String OUTCOME_ASSIGNMENTS = assignments(OUTCOME_COLUMNS);

    /** Every column an OK fetch sets, in {@link #bindFetch} order. */
    private static final String FETCH_COLUMNS = DATA_COLUMNS + ", last_ok_at, " + OUTCOME_COLUMNS;

    private static final String FETCH_ASSIGNMENTS = assignments(FETCH_COLUMNS);

    /** A late OK result keeps a link set by a newer (PARTIAL) fetch; everything else it brings is the newest data. */
    private static final String LATE_DATA_ASSIGNMENTS = "invitation_link = COALESCE(invitation_link, ?), "
            + assignments(DATA_COLUMNS.substring(DATA_COLUMNS.indexOf(',') + 1)) + ", last_ok_at = ?";

    private static String assignments(String columns) {
        return String.join(" = ?, ", columns.strip().split(",\\s*")) + " = ?";
    }

    private void insertGroup(Connection c, GroupResult r, Instant at, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO zapi_group (" + FETCH_COLUMNS + ", group_id, first_seen_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = bindFetch(s, r, at, runId);
            s.setString(++i, r.groupId());
            times.bind(s, ++i, at);
            s.executeUpdate();
        }
    }

    /** OK: the fetch replaces all the latest data and clears the last error. */
    private void updateAll(Connection c, GroupResult r, Instant at, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE zapi_group SET " + FETCH_ASSIGNMENTS + " WHERE group_id = ?")) {
            int i = bindFetch(s, r, at, runId);
            s.setString(++i, r.groupId());
            s.executeUpdate();
        }
    }

    private void updateLateData(Connection c, GroupResult r, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE zapi_group SET " + LATE_DATA_ASSIGNMENTS + " WHERE group_id = ?")) {
            int i = bindData(s, r);
            times.bind(s, ++i, at);
            s.setString(++i, r.groupId());
            s.executeUpdate();
        }
    }

    /** Binds {@link #FETCH_COLUMNS} from a result of any outcome (what it did not fetch is null) and returns the last index. */
    private int bindFetch(PreparedStatement s, GroupResult r, Instant at, String runId) throws SQLException {
        int i = bindData(s, r);
        times.bind(s, ++i, r.outcome() == Outcome.OK ? at : null);
        return bindOutcome(s, i, r, at, runId);
    }

    /** Binds {@link #OUTCOME_COLUMNS} after index {@code i} and returns the last index. */
    private int bindOutcome(PreparedStatement s, int i, GroupResult r, Instant at, String runId) throws SQLException {
        s.setString(++i, r.outcome().name());
        s.setString(++i, text(r.errorCode()));
        s.setString(++i, text(r.errorMessage()));
        times.bind(s, ++i, at);
        s.setString(++i, runId);
        return i;
    }

    /** Binds {@link #DATA_COLUMNS}: the metadata of an OK result, else only its link. */
    private int bindData(PreparedStatement s, GroupResult r) throws SQLException {
        GroupMetadata m = r.metadata();
        boolean ok = r.outcome() == Outcome.OK;
        int i = 0;
        s.setString(++i, text(r.invitationLink()));
        s.setString(++i, ok ? text(m.subject()) : null);
        s.setString(++i, ok ? text(m.description()) : null);
        s.setString(++i, ok ? text(m.owner()) : null);
        times.bind(s, ++i, ok ? epochMillis(m.creation()) : null);
        setInt(s, ++i, ok ? m.participantsCount() : null);
        setInt(s, ++i, ok ? m.contactsCount() : null);
        setInt(s, ++i, ok ? m.adminsCount() : null);
        s.setString(++i, ok ? text(m.effectiveSubjectOwner()) : null);
        times.bind(s, ++i, ok ? epochMillis(m.effectiveSubjectTime()) : null);
        return i;
    }

    /** PARTIAL: the new link is news; the metadata and participants of the last OK fetch stay. */
    private void updateLinkAndOutcome(Connection c, GroupResult r, Instant at, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE zapi_group SET invitation_link = ?, " + OUTCOME_ASSIGNMENTS + " WHERE group_id = ?")) {
            s.setString(1, text(r.invitationLink()));
            int i = bindOutcome(s, 1, r, at, runId);
            s.setString(++i, r.groupId());
            s.executeUpdate();
        }
    }

    /** FAILED: only the outcome changes; the last good data stays. */
    private void updateOutcome(Connection c, GroupResult r, Instant at, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE zapi_group SET " + OUTCOME_ASSIGNMENTS + " WHERE group_id = ?")) {
            int i = bindOutcome(s, 0, r, at, runId);
            s.setString(++i, r.groupId());
            s.executeUpdate();
        }
    }

    /** One row per distinct link; seeing it again widens its seen interval. */
    private void recordLink(Connection c, String groupId, String link, Instant at) throws SQLException {
        if (link == null) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE zapi_invitation_link SET first_seen_at = LEAST(first_seen_at, ?),"
                + " last_seen_at = GREATEST(last_seen_at, ?) WHERE group_id = ? AND invitation_link = ?")) {
            times.bind(s, 1, at);
            times.bind(s, 2, at);
            s.setString(3, groupId);
            s.setString(4, text(link));
            if (s.executeUpdate() > 0) {
                return;
            }
        }
        // no race: this transaction holds the group's row lock
        insertLink(c, groupId, link, at);
    }

    private void insertLink(Connection c, String groupId, String link, Instant at) throws SQLException {
        if (link == null) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO zapi_invitation_link (group_id, invitation_link, first_seen_at, last_seen_at)"
                + " VALUES (?, ?, ?, ?)")) {
            s.setString(1, groupId);
            s.setString(2, text(link));
            times.bind(s, 3, at);
            times.bind(s, 4, at);
            s.executeUpdate();
        }
    }

    /**
     * A check that brought metadata is a reading of the participants count. A replay has the same time and
     * finds its row; no race, as this transaction holds the group's row lock. Older readings than the kept
     * period go (the key's order makes that a range of the group's own rows).
     */
    private void recordReading(Connection c, GroupResult result, Instant at) throws SQLException {
        if (result.metadata() == null) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO zapi_group_reading (group_id, checked_at, participants_count, status)"
                + " SELECT ?, ?, ?, ? FROM zapi_group WHERE group_id = ? AND NOT EXISTS"
                + " (SELECT 1 FROM zapi_group_reading WHERE group_id = ? AND checked_at = ?)")) {
            s.setString(1, result.groupId());
            times.bind(s, 2, at);
            setInt(s, 3, result.metadata().participantsCount());
            s.setString(4, result.outcome().name());
            s.setString(5, result.groupId());
            s.setString(6, result.groupId());
            times.bind(s, 7, at);
            s.executeUpdate();
        }
        if (readingsKept == null) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM zapi_group_reading WHERE group_id = ? AND checked_at < ?")) {
            s.setString(1, result.groupId());
            times.bind(s, 2, clock.instant().minus(readingsKept));
            s.executeUpdate();
        }
    }

    private static void deleteParticipants(Connection c, String groupId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM zapi_group_participant WHERE group_id = ?")) {
            s.setString(1, groupId);
            s.executeUpdate();
        }
    }

    private static void insertParticipants(Connection c, String groupId, GroupMetadata metadata) throws SQLException {
        // the key is the phone: a member without one cannot be stored, a member listed twice is stored once
        Map<String, boolean[]> members = new LinkedHashMap<>();
        for (Participant p : metadata.participants()) {
            if (p.phone() != null && !p.phone().isBlank()) {
                boolean[] flags = members.computeIfAbsent(text(p.phone()), k -> new boolean[2]);
                flags[0] |= Boolean.TRUE.equals(p.isAdmin());
                flags[1] |= Boolean.TRUE.equals(p.isSuperAdmin());
            }
        }
        if (members.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO zapi_group_participant (group_id, phone, is_admin, is_super_admin)"
                + " VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, boolean[]> member : members.entrySet()) {
                s.setString(1, groupId);
                s.setString(2, member.getKey());
                s.setBoolean(3, member.getValue()[0]);
                s.setBoolean(4, member.getValue()[1]);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** MariaDB (and MySQL) report every integrity violation as SQLState 23000; error 1062 is the duplicate key. */
    private static final int MARIADB_DUPLICATE_KEY = 1062;

    /**
     * A unique-key race (two first-time writers of one group both inserting) or a deadlock or
     * serialization failure (class 40) is worth a retry. Any other integrity violation (class 23: a
     * foreign key, a NOT NULL, a CHECK) would fail the same way again, so it is not retried.
     */
    static boolean isConflict(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (state == null) {
                continue;
            }
            boolean uniqueViolation = state.equals("23505") || state.equals("23000") && next.getErrorCode() == MARIADB_DUPLICATE_KEY;
            if (uniqueViolation || state.startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    /**
     * PostgreSQL rejects the NUL character in text; it is the only character changed on the way in
     * (to U+FFFD), everything else round-trips exactly.
     */
    static String text(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    }

    private static Instant epochMillis(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static void setInt(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }
}

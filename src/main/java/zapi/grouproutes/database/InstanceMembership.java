package zapi.grouproutes.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Queue;

/**
 * Which managed groups the instance is still in, as its own listing (GET /groups) says: the columns
 * {@code last_listed_at} and {@code left_at} of {@code zapi_group} (V7).
 * <ul>
 * <li>Every page of a listing marks the groups it names as listed at the listing's start, and a LEFT one
 * among them as managed again.</li>
 * <li>Once a listing completed, the groups stored before it began and not marked by it are the ones the
 * instance left: {@link #missed} reads them in pages by group ID (memory stays flat whatever their
 * number), and {@link #markLeft} marks each, once.</li>
 * </ul>
 * Nothing is held between the steps but the listing's start time, so a listing that stops half-way has
 * marked nothing LEFT, and a crash between announcing a group LEFT and marking it announces it again.
 */
public final class InstanceMembership {

    static final int PAGE = 500;

    private final Database database;

    public InstanceMembership(Database database) {
        this.database = database;
    }

    /** The listing that began at {@code listingStart} names these groups; returns how many were LEFT and are managed again. */
    public int listed(Collection<String> groupIds, Instant listingStart) throws DatabaseUnavailableException, SQLException {
        if (groupIds.isEmpty()) {
            return 0;
        }
        String in = String.join(", ", java.util.Collections.nCopies(groupIds.size(), "?"));
        int[] back = new int[1];
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE zapi_group SET left_at = NULL WHERE left_at IS NOT NULL AND group_id IN (" + in + ")")) {
                int i = 1;
                for (String id : groupIds) {
                    s.setString(i++, id);
                }
                back[0] = s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE zapi_group SET last_listed_at = ? WHERE group_id IN (" + in + ")")) {
                database.times().bind(s, 1, listingStart);
                int i = 2;
                for (String id : groupIds) {
                    s.setString(i++, id);
                }
                s.executeUpdate();
            }
        });
        return back[0];
    }

    /**
     * The groups a complete listing that began at {@code listingStart} did not name: stored before it began,
     * not LEFT yet, not listed by it. Read page by page as the iterator is used.
     */
    public Iterator<LeftGroup> missed(Instant listingStart) {
        return new Missed(listingStart);
    }

    /**
     * How many managed groups a complete listing that began at {@code listingStart} did not name, of how many
     * it could have: stored before it began and not LEFT. What the guard against an implausible listing weighs.
     */
    public Missing missing(Instant listingStart) throws DatabaseUnavailableException, SQLException {
        long[] counts = new long[2];
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(CASE WHEN last_listed_at IS NULL OR last_listed_at < ?"
                    + " THEN 1 ELSE 0 END), 0) FROM zapi_group WHERE left_at IS NULL AND first_seen_at < ?")) {
                database.times().bind(s, 1, listingStart);
                database.times().bind(s, 2, listingStart);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    counts[0] = rs.getLong(1);
                    counts[1] = rs.getLong(2);
                }
            }
        });
        return new Missing(counts[1], counts[0]);
    }

    /** Managed groups a listing did not name ({@code missed}) of those stored before it began and not LEFT ({@code managed}). */
    public record Missing(long missed, long managed) {
        public int percent() {
            return managed == 0 ? 0 : (int) Math.ceil(100.0 * missed / managed);
        }
    }

    /** Marks the group LEFT since {@code leftAt}, unless it is LEFT already or was listed since; false then. */
    public boolean markLeft(LeftGroup group) throws DatabaseUnavailableException, SQLException {
        boolean[] marked = new boolean[1];
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE zapi_group SET left_at = ? WHERE group_id = ? AND left_at IS NULL"
                    + " AND (last_listed_at IS NULL OR last_listed_at < ?)")) {
                database.times().bind(s, 1, group.leftAt());
                s.setString(2, group.groupId());
                database.times().bind(s, 3, group.leftAt());
                marked[0] = s.executeUpdate() == 1;
            }
        });
        return marked[0];
    }

    /** Whether the database holds the group as LEFT (a rotation never revokes such a group's link). */
    public boolean isLeft(String groupId) throws DatabaseUnavailableException, SQLException {
        boolean[] left = new boolean[1];
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT left_at FROM zapi_group WHERE group_id = ?")) {
                s.setString(1, groupId);
                try (ResultSet rs = s.executeQuery()) {
                    left[0] = rs.next() && database.times().read(rs, 1) != null;
                }
            }
        });
        return left[0];
    }

    private final class Missed implements Iterator<LeftGroup> {

        private final Instant listingStart;
        private final Queue<LeftGroup> page = new ArrayDeque<>();
        private String after = "";
        private boolean exhausted;

        Missed(Instant listingStart) {
            this.listingStart = listingStart;
        }

        @Override
        public boolean hasNext() {
            if (page.isEmpty() && !exhausted) {
                read();
            }
            return !page.isEmpty();
        }

        @Override
        public LeftGroup next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            LeftGroup group = page.remove();
            after = group.groupId();
            return group;
        }

        private void read() {
            int[] rows = new int[1];
            try {
                database.inTransactionOrOutage(c -> {
                    try (PreparedStatement s = c.prepareStatement("SELECT group_id, last_listed_at FROM zapi_group WHERE left_at IS NULL"
                            + " AND first_seen_at < ? AND (last_listed_at IS NULL OR last_listed_at < ?) AND group_id > ?"
                            + " ORDER BY group_id LIMIT " + PAGE)) {
                        database.times().bind(s, 1, listingStart);
                        database.times().bind(s, 2, listingStart);
                        s.setString(3, after);
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                page.add(new LeftGroup(rs.getString(1), listingStart, database.times().read(rs, 2)));
                                rows[0]++;
                            }
                        }
                    }
                });
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the groups the instance no longer lists: " + e.getMessage(), e);
            } catch (DatabaseUnavailableException e) {
                throw new ManagedGroups.ListUnavailableException(e);
            }
            exhausted = rows[0] < PAGE;
        }
    }

}

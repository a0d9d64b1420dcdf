package zapi.grouproutes.database;

import java.io.Closeable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.Set;
import java.util.stream.Collectors;

import zapi.grouproutes.enrichment.Outcome;
import zapi.grouproutes.group.ListedGroup;

/**
 * The groups a schedule tick re-checks when its list is the database: every row of {@code zapi_group},
 * optionally only those whose last fetch is old enough or ended with given statuses, and always those
 * whose link may have been revoked by a redefine whose answer was lost (possibly_revoked_link); never
 * those the instance left (left_at, see InstanceMembership).
 *
 * <p>Read in pages by group ID (keyset: {@code group_id > last one ORDER BY group_id LIMIT n}), each page
 * in a short transaction of its own. A 100,000-group tick then holds one page in memory, like a
 * 1,000-group one, and no connection or transaction stays open for the hours a big tick can take
 * (a cursor would pin a pooled connection and hold back PostgreSQL's vacuum all that time). Groups
 * written during the tick do not move the keyset, so each listed group comes once.
 */
public final class ManagedGroups {

    static final int PAGE = 500;

    private final Database database;
    private final String where;
    private final Instant fetchedBefore;

    /**
     * @param notFetchedFor only groups whose last fetch is at least this old (zero: all), counted from {@code now}
     * @param statuses      only groups whose last fetch ended with one of these
     */
    public ManagedGroups(Database database, Duration notFetchedFor, Set<Outcome> statuses, Instant now) {
        this.database = database;
        this.fetchedBefore = notFetchedFor.isZero() ? null : now.minus(notFetchedFor);
        // the statuses are enum names, never input: safe to inline
        // a group whose link may have been revoked (a redefine's lost answer) is re-checked by every tick
        this.where = " WHERE (last_status IN (" + statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ")) + ")"
                + (fetchedBefore == null ? "" : " AND last_fetched_at < ?") + " OR possibly_revoked_link IS NOT NULL)"
                // a group the instance left (InstanceMembership) is not fetched while it is absent
                + " AND left_at IS NULL";
    }

    /** How many groups the list holds now: the tick's expected total, and the rotate cap's check. */
    public long count() throws DatabaseUnavailableException, SQLException {
        long[] count = new long[1];
        database.inTransactionOrOutage(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM zapi_group" + where)) {
                bindTime(s, 1);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    count[0] = rs.getLong(1);
                }
            }
        });
        return count[0];
    }

    /** The groups, page by page; each entry's line is its place in the list (1-based). */
    public Pages open() {
        return new Pages();
    }

    /** An iterator over the list that reads the next page when the last one is used up. */
    public final class Pages implements Iterator<ListedGroup>, Closeable {

        private final Queue<String> page = new ArrayDeque<>();
        private String after = "";
        private boolean exhausted;
        private long position;

        @Override
        public boolean hasNext() {
            if (page.isEmpty() && !exhausted) {
                readPage();
            }
            return !page.isEmpty();
        }

        @Override
        public ListedGroup next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ListedGroup.of(page.remove(), ++position);
        }

        private void readPage() {
            try {
                database.inTransactionOrOutage(c -> {
                    String sql = "SELECT group_id FROM zapi_group" + where + " AND group_id > ? ORDER BY group_id LIMIT " + PAGE;
                    try (PreparedStatement s = c.prepareStatement(sql)) {
                        int next = bindTime(s, 1);
                        s.setString(next, after);
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                page.add(rs.getString(1));
                            }
                        }
                    }
                });
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the managed groups after " + after + ": " + e.getMessage(), e);
            } catch (DatabaseUnavailableException e) {
                // a tick that cannot read its list ends INCOMPLETE like any batch whose database is down
                throw new ListUnavailableException(e);
            }
            exhausted = page.size() < PAGE;
            if (!page.isEmpty()) {
                after = ((ArrayDeque<String>) page).peekLast();
            }
        }

        @Override
        public void close() {
            page.clear();
            exhausted = true;
        }
    }

    /** The database went away while the tick read its list: unchecked, for the iterator, around the cause that heals. */
    public static final class ListUnavailableException extends RuntimeException {
        public ListUnavailableException(DatabaseUnavailableException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private int bindTime(PreparedStatement s, int index) throws SQLException {
        if (fetchedBefore == null) {
            return index;
        }
        database.times().bind(s, index, fetchedBefore);
        return index + 1;
    }

}

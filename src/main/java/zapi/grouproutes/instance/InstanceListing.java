package zapi.grouproutes.instance;

import java.io.Closeable;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.Set;

import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.database.InstanceMembership;
import zapi.grouproutes.database.ManagedGroups;
import zapi.grouproutes.group.ListedGroup;
import zapi.grouproutes.zapi.InstanceChat;

/**
 * The groups the instance is in, as {@code GET /groups?page=N&pageSize=M} lists them, read a page at a
 * time as the split takes them: the next page is asked for when the split has taken the last group of the
 * current one, while the workers still enrich the backlog of the pages before (EnrichmentWorkers), so
 * enrichment never waits for the whole listing and memory holds one page whatever the number of groups.
 * <ul>
 * <li><b>The end.</b> Z-API gives no total and no next page: the listing ends at the first page shorter than
 * the page size (empty included). Only then is it {@link #complete()}: a page that fails after its
 * retries throws out of the iterator, the split stops, and the unit of work ends INCOMPLETE; the listing is
 * never taken for a shorter one.</li>
 * <li><b>What is a group.</b> Chats whose {@code isGroup} is true (boolean or string), and a community's
 * announcement groups; broadcast lists and other chats are skipped and counted by reason
 * ({@link #skipped()}). A group chat whose ID is not a group ID becomes a REJECTED row, like a bad line of a file.</li>
 * <li><b>A listing that moves.</b> Pages are offsets into a list that may change while it is read. A chat
 * added in front of the page being read pushes the last ones of the page before onto this one: a group
 * already taken from the page before is not taken again (once each). A chat removed in front pulls a group
 * back onto a page already read, so this pass misses it: InstanceGroups lists again before it marks any
 * group LEFT.</li>
 * <li><b>Membership.</b> With the database, every page marks its groups as listed at the listing's start
 * (a LEFT one is managed again) before its groups go to enrichment.</li>
 * </ul>
 */
public final class InstanceListing implements Iterator<ListedGroup>, Closeable {

    /** Reads one page of the listing, retries included (routes/sources/instance-groups.camel.yaml). */
    @FunctionalInterface
    public interface Pages {
        List<InstanceChat> page(int page, int pageSize);
    }

    private final Pages pages;
    private final int pageSize;
    private final InstanceMembership membership;
    private final Instant start;
    private final Queue<ListedGroup> current = new ArrayDeque<>();
    private Set<String> previousPage = Set.of();
    private final Map<InstanceChat.Kind, Long> skipped = new EnumMap<>(InstanceChat.Kind.class);
    private int pagesRead;
    private long groups;
    private long repeated;
    private int managedAgain;
    private boolean complete;
    private boolean closed;

    InstanceListing(Pages pages, int pageSize, InstanceMembership membership, Instant start) {
        this.pages = pages;
        this.pageSize = pageSize;
        this.membership = membership;
        this.start = start;
    }

    @Override
    public boolean hasNext() {
        while (current.isEmpty() && !complete && !closed) {
            read(pagesRead + 1);
        }
        return !current.isEmpty();
    }

    @Override
    public ListedGroup next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.remove();
    }

    private void read(int page) {
        List<InstanceChat> chats = pages.page(page, pageSize);
        pagesRead = page;
        Set<String> thisPage = new HashSet<>();
        List<String> listed = new ArrayList<>();
        for (InstanceChat chat : chats) {
            InstanceChat.Kind kind = chat == null ? InstanceChat.Kind.NOT_A_GROUP : chat.kind();
            if (kind.skipReason() != null) {
                skipped.merge(kind, 1L, Long::sum);
                continue;
            }
            String raw = chat.phone() == null ? "" : chat.phone().strip();
            ListedGroup group = ListedGroup.of(raw.isEmpty() ? "(no phone)" : raw, ++groups);
            String key = group.isValid() ? group.groupId().value() : raw;
            if (!thisPage.add(key) || previousPage.contains(key)) {
                // pushed onto this page by a chat added in front of it, or listed twice: taken once
                groups--;
                repeated++;
                continue;
            }
            if (group.isValid()) {
                listed.add(key);
            }
            current.add(group);
        }
        previousPage = thisPage;
        complete = chats.size() < pageSize;
        if (membership != null) {
            try {
                managedAgain += membership.listed(listed, start);
            } catch (SQLException e) {
                throw new IllegalStateException("could not record page " + page + " of the instance's groups: " + e.getMessage(), e);
            } catch (DatabaseUnavailableException e) {
                throw new ManagedGroups.ListUnavailableException(e);
            }
        }
    }

    /**
     * Whether the listing reached its last page (a short one) and every group of it was taken: only then may
     * a missing group be taken as left.
     */
    public boolean complete() {
        return complete && current.isEmpty();
    }

    /** When the listing began: what it marks its groups listed at, and a missed group LEFT since. */
    public Instant start() {
        return start;
    }

    public int pagesRead() {
        return pagesRead;
    }

    /** Groups taken (REJECTED ones included), each once. */
    public long groups() {
        return groups;
    }

    /** Chats that are not groups, by reason. */
    public Map<InstanceChat.Kind, Long> skipped() {
        return Map.copyOf(skipped);
    }

    /** Groups met a second time (a listing that moved while it was read), not taken again. */
    public long repeated() {
        return repeated;
    }

    /** LEFT groups this listing named again: managed from now on. */
    public int managedAgain() {
        return managedAgain;
    }

    /**
     * Reads every page now and keeps their groups to be taken afterwards: a listing known whole before its
     * first group is used (a rotate tick's cap holds before anything is revoked), read once. Stops, false, as
     * soon as it holds more than {@code most} groups; memory then holds at most that many and one page.
     */
    public boolean readAhead(long most) {
        while (!complete && !closed) {
            read(pagesRead + 1);
            if (groups > most) {
                return false;
            }
        }
        return true;
    }

    /** Reads the rest of the listing without taking its groups: the confirmation pass before any group is marked LEFT. */
    public void drain() {
        while (hasNext()) {
            current.clear();
        }
    }

    @Override
    public void close() {
        if (!current.isEmpty()) {
            // closed before every group was taken (a stopping batch): not a complete listing
            complete = false;
        }
        current.clear();
        closed = true;
    }
}

package zapi.grouproutes.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.RootCause;
import zapi.grouproutes.batch.PublicationLedger;

/**
 * The inbox's idempotent repository (the file endpoint's {@code idempotentRepository}), keyed by file
 * name, size and modification time: a file whose report was published is never enriched again, even when
 * moving it to {@code .done} failed (a read-only mount) or the process died between the two. The truth
 * is the {@link PublicationLedger}, written at each batch's commit point; Camel's own add/remove calls
 * after a commit or rollback change nothing.
 */
public final class PublishedInputs extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(PublishedInputs.class);

    private static final DateTimeFormatter DONE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final PublicationLedger ledger;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** Why the last look at the ledger failed; null once it answered. */
    private final AtomicReference<Exception> unreadable = new AtomicReference<>();

    public PublishedInputs(PublicationLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public boolean contains(String key) {
        boolean published;
        try {
            published = ledger.isPublished(key);
        } catch (Exception e) {
            // cannot tell (the database is down): not now, and the next poll asks again; but the file is
            // not done either, and an idle poll meanwhile is no drained inbox (ensureReadable)
            if (unreadable.getAndSet(e) == null) {
                LOG.warn("Inbox: cannot tell whether inputs were published already ({}); they wait until the ledger answers",
                        RootCause.describe(e));
            }
            return true;
        }
        if (unreadable.getAndSet(null) != null) {
            LOG.info("Inbox: the ledger of published inputs answers again");
        }
        if (published && reported.add(key)) {
            LOG.warn("Inbox file {} was enriched and published already; it is skipped (move or remove it: it could not be moved to .done)",
                    key.substring(0, Math.max(0, key.lastIndexOf('|', key.lastIndexOf('|') - 1))));
        }
        return published;
    }

    /**
     * Before an idle poll counts as a drained inbox: throws while the last look at the ledger failed, as
     * some file was then left unread for a reason that is an outage, not a "published".
     */
    public void ensureReadable() throws UnreadableLedgerException {
        Exception cause = unreadable.get();
        if (cause != null) {
            throw new UnreadableLedgerException(cause);
        }
    }

    /**
     * Startup: an input whose batch was published by a process that died before moving it to {@code .done}
     * is moved there now (if that fails, {@link #contains} keeps it from being read again).
     */
    public void moveAwayPublished(Path inbox) throws IOException {
        if (!Files.isDirectory(inbox)) {
            return;
        }
        try (Stream<Path> files = Files.list(inbox)) {
            for (Path file : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    && p.getFileName().toString().toLowerCase(Locale.ROOT).matches("[^.].*\\.(txt|csv)")).toList()) {
                String name = file.getFileName().toString();
                String key = name + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
                boolean published;
                try {
                    published = ledger.isPublished(key);
                } catch (Exception e) {
                    return;
                }
                if (published) {
                    int dot = name.lastIndexOf('.');
                    Path done = inbox.resolve(".done").resolve(name.substring(0, dot) + "-" + DONE_STAMP.format(Instant.now()) + name.substring(dot));
                    try {
                        Files.createDirectories(done.getParent());
                        Files.move(file, done);
                        LOG.warn("Startup clean-up: {} was published by an earlier process that ended before moving it; moved to {}", name, done);
                    } catch (IOException e) {
                        LOG.warn("Startup clean-up: {} was published already but cannot be moved to .done ({}); it is skipped", name,
                                e.getClass().getSimpleName());
                    }
                }
            }
        }
    }

    @Override
    public boolean add(String key) {
        return !contains(key);
    }

    @Override
    public boolean remove(String key) {
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        // the ledger is history: nothing to forget
    }
}

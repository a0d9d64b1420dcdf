package zapi.grouproutes.source;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox folder as routes/sources/inbox-files.camel.yaml uses it: checks a file before its batch,
 * opens it for the batch, names where it moves to, and tells batch mode whether a file is still settling.
 */
public final class Inbox {

    public static final String DONE = ".done";
    public static final String REJECTED = ".rejected";

    /**
     * A file skipped because it was too young is looked at again within about one read-lock timeout; a
     * file modified this long after the minimum age still counts as being written.
     */
    static final Duration SETTLE_GRACE = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    // the reports' own UTC stamp, with milliseconds: two drops of one name within a second stay apart
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Path folder;
    private final Duration minFileAge;
    private final int maxLineLength;
    private final Clock clock;
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    public Inbox(Path folder, Duration minFileAge, int maxLineLength, Clock clock) {
        this.folder = folder;
        this.minFileAge = minFileAge;
        this.maxLineLength = maxLineLength;
        this.clock = clock;
    }

    /** The whole file, in one streaming pass, before its batch begins. */
    public InputCheck check(File file) {
        return InputCheck.of(file.toPath(), maxLineLength);
    }

    /** The batch's own pass over a file that passed {@link #check(File)}, skipping the duplicates that check found. */
    public GroupListFile open(File file, InputCheck check) throws IOException {
        return GroupListFile.open(file.toPath(), maxLineLength, check.firstEntries());
    }

    /** Where a file goes once its report is published, relative to the inbox: {@code .done/<name>-<UTC>.<ext>}. */
    public String doneName(String fileName) {
        return DONE + "/" + stamped(fileName);
    }

    /** Where a rejected file goes, relative to the inbox; its reason goes beside it as {@code <that>.reason.txt}. */
    public String rejectedName(String fileName) {
        return REJECTED + "/" + stamped(fileName);
    }

    public String reasonText(String fileName, InputCheck check, String movedTo) {
        return check.rejection().reasonText(fileName, folder.resolve(movedTo).toString(), STAMP.format(clock.instant()));
    }

    /** {@code groups.v2.csv} → {@code groups.v2-20260102T030405678Z.csv}. */
    String stamped(String fileName) {
        String stamp = STAMP.format(clock.instant());
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? fileName + "-" + stamp : fileName.substring(0, dot) + "-" + stamp + fileName.substring(dot);
    }

    /**
     * False while a list in the inbox is younger than the minimum file age (plus a grace): the file consumer
     * skipped it for now, and a batch-mode run must not take that idle poll for a drained inbox.
     */
    public boolean isSettled() throws IOException {
        Instant now = clock.instant();
        Duration young = minFileAge.plus(SETTLE_GRACE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, Inbox::isListName)) {
            for (Path file : files) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Duration age = Duration.between(attributes.lastModifiedTime().toInstant(), now);
                if (attributes.isRegularFile() && age.compareTo(young) < 0) {
                    String name = file.getFileName().toString();
                    if (announced.add(name)) {
                        LOG.info("Inbox: {} was modified {} ms ago; it is read once it is {} ms old", name, age.toMillis(), minFileAge.toMillis());
                    }
                    return false;
                }
            }
        }
        return true;
    }

    /** The names the file consumer takes: .txt and .csv, not hidden (a writer's temporary name). */
    static boolean isListName(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".txt") || lower.endsWith(".csv"));
    }

    public Path folder() {
        return folder;
    }

    public Duration minFileAge() {
        return minFileAge;
    }
}

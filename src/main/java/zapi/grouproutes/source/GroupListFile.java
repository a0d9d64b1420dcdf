package zapi.grouproutes.source;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import zapi.grouproutes.group.ListedGroup;

/**
 * Streams the distinct entries of one input file, one {@link ListedGroup} at a time, so a file of any
 * size is never held in memory. To enrich a group once, the first pass over a file keeps a key per entry
 * already seen and notes the lines of first entries ({@link #firstEntries()}); a pass opened with those
 * notes keeps one bit per line instead.
 *
 * <p>{@code .txt}: one group ID per line. {@code .csv}: separated by {@code ,}, {@code ;} or tab, with a
 * header naming the ID column (see {@link CsvLayout}) or none. Both: UTF-8 with or without BOM, LF or
 * CRLF, blank lines and lines starting with {@code #} ignored, values cleaned by {@link EntryText}.
 * A line longer than the cap becomes one REJECTED entry. What makes the whole file unusable (not UTF-8,
 * binary, a quote that never closes, no ID column) is thrown as a {@link RejectedInputException}, wrapped
 * in an {@link UncheckedIOException} when it is found while iterating.
 */
public final class GroupListFile implements Iterator<ListedGroup>, Closeable {

    /** Longest line read whole; the default of {@code zapi.inbox.max-line-length}. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 4096;

    // commons-csv names the line where an unclosed quote started; its number may carry grouping separators
    private static final Pattern QUOTE_START = Pattern.compile("\\(startline ([^)]+)\\) EOF reached before encapsulated token finished");

    private final Entries entries;
    private final Closeable resource;
    private final Set<String> seen = new HashSet<>();
    /** A first pass's notes: the lines of the entries given so far (lines past 2^31 are only keyed). */
    private final BitSet firstLines = new BitSet();
    private long lastLine;
    /** Each entry so far on a line after the one before: only then do lines name entries for a later pass. */
    private boolean linesIncrease = true;
    /** What an earlier pass learned about duplicates, or null: then the seen keys decide. */
    private final FirstEntries known;
    private final MessageDigest digest;
    private ListedGroup next;
    private volatile boolean closed;

    private GroupListFile(Entries entries, Closeable resource, FirstEntries known) {
        this.entries = entries;
        this.resource = resource;
        this.known = known;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Opens a file in the inbox without following a symbolic link (one fails to open instead). */
    public static GroupListFile open(Path file, int maxLineLength) throws IOException {
        return open(file, maxLineLength, null);
    }

    /** {@link #open(Path, int)} for a file whose first pass gave {@code known} ({@link #firstEntries()}), or null. */
    public static GroupListFile open(Path file, int maxLineLength, FirstEntries known) throws IOException {
        InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            return open(in, file.getFileName().toString(), maxLineLength, known);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public static GroupListFile open(InputStream in, String fileName) throws IOException {
        return open(in, fileName, DEFAULT_MAX_LINE_LENGTH);
    }

    public static GroupListFile open(InputStream in, String fileName, int maxLineLength) throws IOException {
        return open(in, fileName, maxLineLength, null);
    }

    private static GroupListFile open(InputStream in, String fileName, int maxLineLength, FirstEntries known) throws IOException {
        boolean csv = fileName.toLowerCase(Locale.ROOT).endsWith(".csv");
        InputText text = new InputText(in, maxLineLength, csv);
        // the buffer holds a whole (capped) line, so the CSV header can be read ahead and handed back
        BufferedReader reader = new BufferedReader(text, Math.max(64 * 1024, 2 * maxLineLength + 16));
        Entries entries = csv ? CsvEntries.open(reader, maxLineLength) : new TextEntries(reader, maxLineLength);
        return new GroupListFile(entries, reader, known);
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            // Camel's splitter may ask again after closing it when a batch stops early
            return false;
        }
        try {
            while (next == null) {
                Entry candidate = entries.next();
                if (candidate == null) {
                    break;
                }
                long line = candidate.group().line();
                linesIncrease &= line > lastLine;
                lastLine = line;
                if (known != null && known.covers(line) ? known.isFirst(line) : seen.add(keyOf(candidate))) {
                    next = candidate.group();
                    if (known == null && line >= 1 && line <= Integer.MAX_VALUE) {
                        firstLines.set((int) line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return next != null;
    }

    @Override
    public ListedGroup next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ListedGroup result = next;
        next = null;
        return result;
    }

    /**
     * The lines of the entries given so far, for a later pass over the same file to skip duplicates without keys;
     * null when lines do not tell entries apart (then that pass keys them again).
     */
    public FirstEntries firstEntries() {
        return known == null && linesIncrease ? new FirstEntries((BitSet) firstLines.clone(), Math.min(lastLine, Integer.MAX_VALUE)) : null;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        resource.close();
    }

    /**
     * Entries naming the same group (a JID and its Z-API form, say) share a key. A rejected value is keyed
     * by a digest of its whole text, so the set stays small whatever was written; each overlong line is a
     * row of its own (its text beyond the cap was never read).
     */
    private String keyOf(Entry entry) {
        ListedGroup group = entry.group();
        if (group.isValid()) {
            return group.groupId().value();
        }
        if (entry.value() == null) {
            return "line:" + group.line();
        }
        byte[] hash = digest.digest(entry.value().getBytes(StandardCharsets.UTF_8));
        return "rejected:" + Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
    }

    /** One entry and the value it was read from (null for a line cut at the cap). */
    private record Entry(ListedGroup group, String value) {

        static Entry of(String value, long line, int maxLineLength) {
            if (EntryText.isCut(value)) {
                return new Entry(ListedGroup.rejected(EntryText.beforeCut(value), line, tooLong(maxLineLength)), null);
            }
            return new Entry(ListedGroup.of(value, line), value);
        }

        static Entry rejected(String value, long line, String reason) {
            return new Entry(ListedGroup.rejected(value, line, reason), value);
        }
    }

    private static String tooLong(int maxLineLength) {
        return "the line is longer than " + maxLineLength + " characters";
    }

    /** The next entry, or null at the end. */
    private interface Entries {
        Entry next() throws IOException;
    }

    private static boolean ignored(String value) {
        return value.isEmpty() || value.startsWith("#");
    }

    /** One value per line. */
    private static final class TextEntries implements Entries {
        private final BufferedReader reader;
        private final int maxLineLength;
        private long lineNumber;

        TextEntries(BufferedReader reader, int maxLineLength) {
            this.reader = reader;
            this.maxLineLength = maxLineLength;
        }

        @Override
        public Entry next() throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String value = EntryText.clean(line);
                if (!ignored(value)) {
                    return Entry.of(value, lineNumber, maxLineLength);
                }
            }
            return null;
        }
    }

    /** RFC 4180 records, laid out as {@link CsvLayout} reads from the first line. */
    private static final class CsvEntries implements Entries {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final CsvLayout layout;
        private final int maxLineLength;
        private final long linesBefore;

        private CsvEntries(CSVParser parser, CsvLayout layout, int maxLineLength, long linesBefore) {
            this.parser = parser;
            this.records = parser.iterator();
            this.layout = layout;
            this.maxLineLength = maxLineLength;
            this.linesBefore = linesBefore;
        }

        static Entries open(BufferedReader reader, int maxLineLength) throws IOException {
            long lineNumber = 0;
            String first;
            while (true) {
                reader.mark(maxLineLength + 8);
                first = reader.readLine();
                if (first == null) {
                    // only blank lines and comments: an empty list
                    return () -> null;
                }
                lineNumber++;
                if (!ignored(EntryText.clean(first))) {
                    break;
                }
            }
            reader.reset();
            CsvLayout layout = CsvLayout.of(first, lineNumber);
            // the parser counts lines from the header on; the blank and comment lines before it were read here
            return new CsvEntries(layout.format().parse(reader), layout, maxLineLength, lineNumber - 1);
        }

        /** The file's line the last record ended on (the reader ends every file with a line break). */
        private long line() {
            return parser.getCurrentLineNumber() + linesBefore;
        }

        @Override
        public Entry next() throws IOException {
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        return null;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw malformed(e);
                }
                long line = line();
                for (String cell : record) {
                    if (EntryText.isCut(cell)) {
                        String id = record.size() > layout.idColumn() ? record.get(layout.idColumn()) : "";
                        return new Entry(ListedGroup.rejected(EntryText.beforeCut(EntryText.clean(id)), line, tooLong(maxLineLength)), null);
                    }
                }
                if (record.size() <= layout.idColumn()) {
                    return Entry.rejected(joined(record), line, "the row has no " + layout.idName() + " value");
                }
                String value = EntryText.clean(record.get(layout.idColumn()));
                if (value.isEmpty()) {
                    return Entry.rejected(joined(record), line, "the row has an empty " + layout.idName() + " value");
                }
                if (!value.startsWith("#")) {
                    return Entry.of(value, line, maxLineLength);
                }
            }
        }

        private IOException malformed(RuntimeException e) {
            InputRejection ours = RejectedInputException.findIn(e);
            if (ours != null) {
                return new RejectedInputException(ours);
            }
            String message = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            Matcher quote = QUOTE_START.matcher(message);
            if (quote.find()) {
                long start = Long.parseLong(quote.group(1).replaceAll("[^0-9]", "")) + linesBefore;
                return new RejectedInputException(InputRejection.at(start, "a quote (\") opens on this line and is never closed",
                        "close the quote or remove it (a quote inside a value is written twice: \"\"), then drop the file again"));
            }
            return new RejectedInputException(InputRejection.at(line(), "the CSV is malformed: " + message,
                    "fix the file (a value with quotes is written \"like \"\"this\"\"\"), then drop it again"));
        }

        private static String joined(CSVRecord record) {
            return EntryText.clean(String.join(",", record.toList()));
        }
    }
}

package zapi.grouproutes.source;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import zapi.grouproutes.group.ListedGroup;

/**
 * Streams the distinct entries of one input file, one {@link ListedGroup} at a time, so a file of any
 * size is never held in memory. Only the keys of entries already seen are kept, to enrich a group once.
 *
 * <p>{@code .txt}: one group ID per line. {@code .csv}: a header row naming a {@code group_id},
 * {@code groupId} or {@code phone} column. Both: UTF-8 with or without BOM, LF or CRLF, blank lines
 * and lines starting with {@code #} ignored, values trimmed. Undecodable bytes become U+FFFD, which
 * the group ID check rejects, so a bad line gets a REJECTED row instead of breaking the file.
 */
public final class GroupListFile implements Iterator<ListedGroup>, Closeable {

    /** Header names that hold the group ID, most specific first. */
    static final List<String> ID_COLUMNS = List.of("group_id", "groupid", "phone");

    private final Iterator<ListedGroup> entries;
    private final Closeable resource;
    private final Set<String> seen = new HashSet<>();
    private ListedGroup next;
    private volatile boolean closed;

    private GroupListFile(Iterator<ListedGroup> entries, Closeable resource) {
        this.entries = entries;
        this.resource = resource;
    }

    /** For the inbox route, whose body is a file. */
    public static GroupListFile read(java.io.File file) throws IOException {
        return open(file.toPath());
    }

    public static GroupListFile open(Path file) throws IOException {
        return open(Files.newInputStream(file), file.getFileName().toString());
    }

    public static GroupListFile open(InputStream in, String fileName) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), 64 * 1024);
        skipBom(reader);
        boolean csv = fileName.toLowerCase(Locale.ROOT).endsWith(".csv");
        return new GroupListFile(csv ? new CsvEntries(reader) : new TextEntries(reader), reader);
    }

    private static void skipBom(Reader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            // Camel's splitter may ask again after closing it when a batch stops early
            return false;
        }
        while (next == null && entries.hasNext()) {
            ListedGroup candidate = entries.next();
            if (seen.add(candidate.dedupKey())) {
                next = candidate;
            }
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

    @Override
    public void close() throws IOException {
        closed = true;
        resource.close();
    }

    private static boolean ignored(String value) {
        return value.isEmpty() || value.startsWith("#");
    }

    /** One value per line. */
    private static final class TextEntries implements Iterator<ListedGroup> {
        private final BufferedReader reader;
        private long lineNumber;
        private ListedGroup next;

        TextEntries(BufferedReader reader) {
            this.reader = reader;
        }

        @Override
        public boolean hasNext() {
            try {
                String line;
                while (next == null && (line = reader.readLine()) != null) {
                    lineNumber++;
                    String value = line.strip();
                    if (!ignored(value)) {
                        next = ListedGroup.of(value, lineNumber);
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
    }

    /** RFC 4180 records with a header; the ID column is found by name. */
    private static final class CsvEntries implements Iterator<ListedGroup> {
        private final Iterator<CSVRecord> records;
        private final CSVParser parser;
        private final String idColumn;
        private ListedGroup next;
        private boolean broken;

        CsvEntries(Reader reader) throws IOException {
            this.parser = CSVFormat.RFC4180.builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true)
                    .setIgnoreSurroundingSpaces(true)
                    .setCommentMarker('#')
                    .setAllowMissingColumnNames(true)
                    .setAllowDuplicateHeaderNames(true)
                    .get()
                    .parse(reader);
            this.records = parser.iterator();
            this.idColumn = findIdColumn(parser.getHeaderMap());
        }

        private static String findIdColumn(Map<String, Integer> header) {
            Map<String, String> byLowerName = new TreeMap<>();
            header.keySet().forEach(name -> byLowerName.putIfAbsent(name.strip().toLowerCase(Locale.ROOT), name));
            return ID_COLUMNS.stream().map(byLowerName::get).filter(n -> n != null).findFirst().orElse(null);
        }

        @Override
        public boolean hasNext() {
            while (next == null && !broken) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        return false;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    // one unbalanced quote swallows the rest of the file: say so once, where it starts
                    broken = true;
                    next = ListedGroup.rejected("", parser.getCurrentLineNumber(),
                            "malformed CSV near line " + parser.getCurrentLineNumber() + "; the rest of the file was not read");
                    break;
                }
                long line = record.getRecordNumber() + 1;
                if (idColumn == null) {
                    String first = record.size() > 0 ? record.get(0).strip() : "";
                    next = ListedGroup.rejected(first, line, "the CSV header has no group_id, groupId or phone column");
                } else if (!record.isSet(idColumn)) {
                    next = ListedGroup.rejected(joined(record), line, "row has no " + idColumn + " value");
                } else {
                    String value = record.get(idColumn).strip();
                    if (value.isEmpty()) {
                        next = ListedGroup.rejected(joined(record), line, "row has an empty " + idColumn + " value");
                    } else if (!value.startsWith("#")) {
                        next = ListedGroup.of(value, line);
                    }
                }
            }
            return next != null;
        }

        private static String joined(CSVRecord record) {
            return String.join(",", record.toList());
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
    }
}

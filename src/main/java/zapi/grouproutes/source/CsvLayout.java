package zapi.grouproutes.source;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import zapi.grouproutes.group.GroupId;

/**
 * How a CSV file is laid out, read from its first line the way its users save it: Excel in Portuguese
 * separates with {@code ;}, other tools with tabs; the ID column is named in many spellings; some lists
 * have no header at all.
 *
 * @param delimiter  {@code ,}, {@code ;} or tab
 * @param hasHeader  false when the first line is already a group ID (then the IDs are in the first column)
 * @param idColumn   index of the column holding the group IDs
 * @param idName     that column's header as written, for messages ("column 1" without a header)
 */
record CsvLayout(char delimiter, boolean hasHeader, int idColumn, String idName) {

    /**
     * Header names of the ID column after {@link #normalized(String)}, most specific first: {@code Group ID},
     * {@code group-id}, {@code GROUP_ID} and {@code groupId} are all {@code groupid}.
     */
    static final List<String> ID_COLUMNS = List.of("groupid", "idgrupo", "iddogrupo", "grupo", "phone");

    static final String ID_COLUMN_NAMES = "group_id (or Group ID, groupId, id_grupo, ID do grupo, grupo, phone)";

    private static final char[] DELIMITERS = {',', ';', '\t'};

    /**
     * Reads the layout from the first line that is not blank or a comment.
     *
     * @throws RejectedInputException when that line is a header without an ID column
     */
    static CsvLayout of(String firstLine, long lineNumber) throws RejectedInputException {
        char delimiter = delimiterOf(firstLine);
        List<String> cells = cells(firstLine, delimiter);
        for (String wanted : ID_COLUMNS) {
            for (int i = 0; i < cells.size(); i++) {
                if (normalized(cells.get(i)).equals(wanted)) {
                    return new CsvLayout(delimiter, true, i, EntryText.clean(cells.get(i)));
                }
            }
        }
        String first = cells.isEmpty() ? "" : EntryText.clean(cells.get(0));
        if (!first.isEmpty() && GroupId.parse(first).isValid()) {
            return new CsvLayout(delimiter, false, 0, "column 1");
        }
        throw new RejectedInputException(InputRejection.at(lineNumber,
                "the CSV header has no group ID column (its columns: " + shown(cells) + ")",
                "name the column that holds the group IDs " + ID_COLUMN_NAMES
                        + ", or drop the header line so that the IDs are in the first column"));
    }

    /** Lower case, letters and digits only. */
    static String normalized(String header) {
        StringBuilder name = new StringBuilder(header.length());
        header.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(name::appendCodePoint);
        return name.toString();
    }

    /** The separator that occurs most often outside quotes; a comma when there is none (a single column). */
    static char delimiterOf(String line) {
        int[] counts = new int[DELIMITERS.length];
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                for (int d = 0; d < DELIMITERS.length; d++) {
                    if (c == DELIMITERS[d]) {
                        counts[d]++;
                    }
                }
            }
        }
        int best = 0;
        for (int d = 1; d < DELIMITERS.length; d++) {
            if (counts[d] > counts[best]) {
                best = d;
            }
        }
        return DELIMITERS[best];
    }

    CSVFormat format() {
        CSVFormat.Builder format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true)
                .setCommentMarker('#');
        if (hasHeader) {
            format.setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).setAllowDuplicateHeaderNames(true);
        }
        return format.get();
    }

    private static List<String> cells(String line, char delimiter) {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreSurroundingSpaces(true).get()
                .parse(new StringReader(line))) {
            List<CSVRecord> records = parser.getRecords();
            return records.isEmpty() ? List.of() : records.get(0).toList();
        } catch (IOException | UncheckedIOException e) {
            // a header whose quotes do not balance: take it as one cell; the full parse says where
            return List.of(line);
        }
    }

    private static String shown(List<String> cells) {
        String names = String.join(", ", cells.stream().map(EntryText::clean).map(EntryText::beforeCut).toList());
        return names.length() > 200 ? names.substring(0, 200) + "…" : names;
    }
}

package zapi.grouproutes.source;

import java.util.BitSet;

/**
 * Which lines of a checked input file hold an entry seen there for the first time: what the check pass learned
 * about duplicates, handed to the batch's own pass so that it keeps one bit per line instead of a key per
 * distinct entry (a set of a million group IDs is about 100 MB; this is 125 KB). Lines past the checked ones
 * are not covered.
 */
public final class FirstEntries {

    private final BitSet lines;
    private final long lastLine;

    FirstEntries(BitSet lines, long lastLine) {
        this.lines = lines;
        this.lastLine = lastLine;
    }

    /** The check pass read this line (it is within the checked part of the file). */
    boolean covers(long line) {
        return line >= 1 && line <= lastLine && line <= Integer.MAX_VALUE;
    }

    /** The entry on this checked line is the first of its group in the file. */
    boolean isFirst(long line) {
        return lines.get((int) line);
    }
}

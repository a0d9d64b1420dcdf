package zapi.grouproutes.source;

/**
 * A value as the user meant it: copied from a spreadsheet, a chat or a web page, a group ID often
 * carries invisible characters that would make it "not a group ID" for no visible reason.
 */
final class EntryText {

    private EntryText() {
    }

    /**
     * Removes zero-width characters (U+200B..U+200D, U+2060, U+FEFF) wherever they are, and trims no-break
     * spaces (U+00A0, U+2007, U+202F) with ordinary white space from both ends. A no-break space inside a
     * value stays, so the value is rejected for its white space like any other space would make it.
     */
    static String clean(String value) {
        StringBuilder kept = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isZeroWidth(c)) {
                if (kept == null) {
                    kept = new StringBuilder(value.length()).append(value, 0, i);
                }
            } else if (kept != null) {
                kept.append(c);
            }
        }
        String visible = kept == null ? value : kept.toString();
        int start = 0;
        int end = visible.length();
        while (start < end && isBlank(visible.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(visible.charAt(end - 1))) {
            end--;
        }
        return visible.substring(start, end);
    }

    /** True when the line was longer than the cap: the reader cut it there (see {@link InputText#CUT}). */
    static boolean isCut(String value) {
        return value.indexOf(InputText.CUT) >= 0;
    }

    /** What is left of a cut value to show in a report: the part before the cut. */
    static String beforeCut(String value) {
        int cut = value.indexOf(InputText.CUT);
        return cut < 0 ? value : value.substring(0, cut);
    }

    private static boolean isZeroWidth(char c) {
        return (c >= '\u200B' && c <= '\u200D') || c == '\u2060' || c == '\uFEFF';
    }

    private static boolean isBlank(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F';
    }
}

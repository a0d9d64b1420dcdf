package zapi.grouproutes.report;

/**
 * Keeps report cells from being run as formulas when the CSV is opened in a spreadsheet: a cell
 * beginning with {@code = + - @}, tab or CR gets a leading apostrophe, which spreadsheets show as text.
 * Group subjects and descriptions are written by any group member, so this is not theoretical.
 */
public final class SpreadsheetText {

    private SpreadsheetText() {
    }

    public static String neutralize(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
            default -> text;
        };
    }
}

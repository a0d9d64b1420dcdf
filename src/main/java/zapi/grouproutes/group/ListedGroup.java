package zapi.grouproutes.group;

/**
 * One distinct entry of an input list: what was written, where, and either the group ID it names or
 * why it names none. Every entry ends up as exactly one report row.
 *
 * @param raw       the cleaned input value as written (what a REJECTED row shows), at most
 *                  {@value #ECHO_LIMIT} characters: a longer one is cut and ends with {@value #CUT_MARK}
 * @param line      1-based line number in the source, for the operator
 * @param groupId   the normalized group ID, or null when rejected
 * @param rejection why the entry was rejected, or null when valid
 */
public record ListedGroup(String raw, long line, GroupId groupId, String rejection) {

    /** Characters of a rejected value echoed into a report; a 50 MB line must not make a 50 MB report. */
    public static final int ECHO_LIMIT = 200;
    public static final String CUT_MARK = "…[cut]";

    public static ListedGroup of(String raw, long line) {
        GroupId.Parsed parsed = GroupId.parse(raw);
        return new ListedGroup(echo(raw), line, parsed.groupId(), parsed.rejection());
    }

    public static ListedGroup rejected(String raw, long line, String reason) {
        return new ListedGroup(echo(raw), line, null, reason);
    }

    public boolean isValid() {
        return groupId != null;
    }

    /** The value itself when short; else its first characters and the mark (never half a surrogate pair). */
    public static String echo(String raw) {
        if (raw.length() <= ECHO_LIMIT) {
            return raw;
        }
        int end = Character.isHighSurrogate(raw.charAt(ECHO_LIMIT - 1)) ? ECHO_LIMIT - 1 : ECHO_LIMIT;
        return raw.substring(0, end) + CUT_MARK;
    }
}

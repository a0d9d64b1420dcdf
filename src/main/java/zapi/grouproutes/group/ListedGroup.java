package zapi.grouproutes.group;

/**
 * One distinct entry of an input list: what was written, where, and either the group ID it names or
 * why it names none. Every entry ends up as exactly one report row.
 *
 * @param raw       the trimmed input value as written (what a REJECTED row shows)
 * @param line      1-based line number in the source, for the operator
 * @param groupId   the normalized group ID, or null when rejected
 * @param rejection why the entry was rejected, or null when valid
 */
public record ListedGroup(String raw, long line, GroupId groupId, String rejection) {

    public static ListedGroup of(String raw, long line) {
        GroupId.Parsed parsed = GroupId.parse(raw);
        return new ListedGroup(raw, line, parsed.groupId(), parsed.rejection());
    }

    public static ListedGroup rejected(String raw, long line, String reason) {
        return new ListedGroup(raw, line, null, reason);
    }

    public boolean isValid() {
        return groupId != null;
    }

    /** Entries naming the same group (a JID and its Z-API form, say) share this key. */
    public String dedupKey() {
        return groupId != null ? groupId.value() : "\u0000" + raw;
    }
}

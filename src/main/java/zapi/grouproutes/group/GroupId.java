package zapi.grouproutes.group;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WhatsApp group ID in the form Z-API expects in a URL path.
 *
 * <p>Only two shapes exist (see NOTES.md): the old {@code <creator phone>-<unix seconds>} and the new
 * {@code <digits>-group}. A WhatsApp JID ({@code ...@g.us}) names the same group and is normalized to
 * Z-API's form. The value becomes a URL path segment, so anything outside these shapes is refused
 * here, before it can reach the API.
 */
public final class GroupId {

    static final int MAX_LENGTH = 64;

    private static final Pattern NEW_FORMAT = Pattern.compile("([0-9]{10,25})-group");
    private static final Pattern OLD_FORMAT = Pattern.compile("([0-9]{8,15})-([0-9]{9,11})");
    private static final Pattern JID = Pattern.compile("([0-9]{8,25}(?:-[0-9]{9,11})?)@g\\.us");
    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?[0-9]{8,15}");
    private static final Pattern CONTACT_JID = Pattern.compile("[0-9]+@(s\\.whatsapp\\.net|c\\.us|lid)");
    // characters that would change the meaning of a URL path or query if they reached one
    private static final Pattern URL_SIGNIFICANT = Pattern.compile("[/\\\\?%;#&=\\s]|\\.\\.");

    private final String value;

    private GroupId(String value) {
        this.value = value;
    }

    /** Parses a trimmed, non-blank input value; never throws for bad input, it returns the reason instead. */
    public static Parsed parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length() > MAX_LENGTH) {
            return Parsed.rejected("longer than " + MAX_LENGTH + " characters");
        }
        Matcher unsafe = URL_SIGNIFICANT.matcher(raw);
        if (unsafe.find()) {
            String what = unsafe.group();
            return Parsed.rejected("contains '" + (what.isBlank() ? "whitespace" : what)
                    + "', which is never part of a group ID");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return Parsed.rejected(String.format("contains the non-ASCII or control character U+%04X", (int) c));
            }
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (NEW_FORMAT.matcher(lower).matches() || OLD_FORMAT.matcher(lower).matches()) {
            return Parsed.valid(new GroupId(lower));
        }
        Matcher jid = JID.matcher(lower);
        if (jid.matches()) {
            String id = jid.group(1);
            return Parsed.valid(new GroupId(id.contains("-") ? id : id + "-group"));
        }
        if (PHONE_NUMBER.matcher(raw).matches() || CONTACT_JID.matcher(lower).matches()) {
            return Parsed.rejected("is a contact, not a group ID");
        }
        return Parsed.rejected("is not a group ID (expected <digits>-group, <phone>-<timestamp> or <digits>@g.us)");
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupId other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }

    /** The result of parsing: a group ID, or the reason there is none. */
    public record Parsed(GroupId groupId, String rejection) {
        static Parsed valid(GroupId id) {
            return new Parsed(id, null);
        }

        static Parsed rejected(String reason) {
            return new Parsed(null, reason);
        }

        public boolean isValid() {
            return groupId != null;
        }
    }
}

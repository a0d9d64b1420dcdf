package zapi.grouproutes.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys that may call the http source ({@code zapi.api.keys}): each a name and the SHA-256 of the
 * key, never the key itself, so the setting, a config dump or a leaked environment hold nothing that can
 * call the API. A presented key is hashed and compared with every known hash in constant time
 * ({@link MessageDigest#isEqual}), all of them every time, so neither the answer's timing nor its text tells
 * a caller how close a guess came or which key it nearly matched.
 */
public final class ApiKeys {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private record Key(String name, byte[] hash) {
    }

    private final List<Key> keys;

    private ApiKeys(List<Key> keys) {
        this.keys = keys;
    }

    /**
     * Parses {@code name:sha256-hex,...}. A malformed entry is refused naming its position and name only:
     * the value may be a key pasted by mistake, and must not reach the log.
     */
    public static ApiKeys parse(String setting) {
        List<Key> keys = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        String[] entries = setting == null ? new String[0] : setting.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String name = colon < 0 ? "" : entry.substring(0, colon).strip();
            String hash = colon < 0 ? "" : entry.substring(colon + 1).strip();
            if (!NAME.matcher(name).matches() || !SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalArgumentException("zapi.api.keys (ZAPI_API_KEYS): entry " + (i + 1) + (NAME.matcher(name).matches() ? " ('" + name + "')" : "")
                        + " is not name:sha256-hex-of-the-key (a name of letters, digits, '.', '_' or '-', then the 64 hex digits of"
                        + " printf %s \"$KEY\" | sha256sum); the key itself never goes in the setting");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("zapi.api.keys (ZAPI_API_KEYS): the name '" + name + "' appears twice; each key needs a name of its own");
            }
            keys.add(new Key(name, HexFormat.of().parseHex(hash.toLowerCase(java.util.Locale.ROOT))));
        }
        return new ApiKeys(List.copyOf(keys));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    /** The name of the key whose hash matches {@code presented}, or empty; every hash is compared. */
    public Optional<String> nameOf(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        String match = null;
        for (Key key : keys) {
            if (MessageDigest.isEqual(key.hash(), hash) && match == null) {
                match = key.name();
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

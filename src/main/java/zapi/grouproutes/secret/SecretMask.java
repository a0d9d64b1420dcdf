package zapi.grouproutes.secret;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * A set of secret values (tokens, passwords, keys) and the one way they are masked in any text: each
 * whole value becomes {@value #MASK}, wherever it appears. Values shorter than {@value #SHORTEST} are not
 * masked: masking "sa" or "1" would mangle ordinary text and hide nothing worth hiding.
 */
public final class SecretMask {

    public static final String MASK = "****";

    /** The shortest value that is masked. */
    public static final int SHORTEST = 4;

    /** The shortest secret beginning that is masked where a shortened text ends. */
    static final int PARTIAL_SECRET = 4;

    private static final SecretMask NONE = new SecretMask(new String[0]);

    /** Longest first, so a secret that contains another is masked whole. */
    private final String[] secrets;

    private SecretMask(String[] secrets) {
        this.secrets = secrets;
    }

    public static SecretMask none() {
        return NONE;
    }

    /** The given values (nulls, blanks and values too short to mask are left out). */
    public static SecretMask of(String... values) {
        return NONE.with(values);
    }

    /** This mask and the given values as well. */
    public SecretMask with(String... values) {
        String[] all = java.util.stream.Stream.concat(Arrays.stream(secrets), Arrays.stream(values))
                .filter(Objects::nonNull).map(String::strip).filter(v -> v.length() >= SHORTEST).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toArray(String[]::new);
        return all.length == secrets.length ? this : new SecretMask(all);
    }

    public boolean isEmpty() {
        return secrets.length == 0;
    }

    /** Whether the text holds one of the secrets. */
    public boolean appearsIn(String text) {
        if (text == null) {
            return false;
        }
        for (String secret : secrets) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    /** The text with every secret masked; the same instance when it holds none. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /**
     * Masks, then cuts to {@code maxChars} (marking the cut with "..."). In this order, because a cut
     * through a secret would leave a prefix that no longer matches the whole secret; and a text that
     * already ends in a secret's beginning (at least {@value #PARTIAL_SECRET} characters, an echo the
     * server itself cut short) has that beginning masked too.
     */
    public String maskAndShorten(String text, int maxChars) {
        String masked = mask(text);
        if (masked == null || masked.length() <= maxChars) {
            return masked == null ? null : maskTrailingPrefix(masked);
        }
        return maskTrailingPrefix(masked.substring(0, maxChars)) + "...";
    }

    private String maskTrailingPrefix(String text) {
        String result = text;
        for (String secret : secrets) {
            for (int length = Math.min(secret.length() - 1, result.length()); length >= PARTIAL_SECRET; length--) {
                if (result.endsWith(secret.substring(0, length))) {
                    result = result.substring(0, result.length() - length) + MASK;
                    break;
                }
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "SecretMask[" + secrets.length + " secrets]";
    }
}

package zapi.grouproutes.zapi;

/**
 * The instance ID, instance token and account Client-Token. The token travels in the URL path and the
 * Client-Token in a header; neither may be printed, so {@link #toString()} shows neither and
 * {@link #redact(String)} scrubs both out of any text that came back from the wire.
 */
public record Credentials(String instanceId, String token, String clientToken) {

    static final String MASK = "****";

    public Credentials {
        instanceId = blankToNull(instanceId);
        token = blankToNull(token);
        clientToken = blankToNull(clientToken);
    }

    /** Without an instance ID and token the product runs against its embedded simulator. */
    public boolean present() {
        return instanceId != null && token != null;
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        // longest first, so a secret that contains the other is masked whole
        String[] secrets = token != null && clientToken != null && clientToken.length() > token.length()
                ? new String[] {clientToken, token} : new String[] {token, clientToken};
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    /**
     * Redacts, then cuts to {@code maxChars} (marking the cut with "..."). In this order, because a cut
     * through an echoed secret would leave a prefix that no longer matches the whole secret; and a text
     * that already ends in a secret's beginning (at least {@value #PARTIAL_SECRET} characters, an echo
     * the server itself cut short) has that beginning masked too.
     */
    public String redactAndShorten(String text, int maxChars) {
        String redacted = redact(text);
        if (redacted == null || redacted.length() <= maxChars) {
            return redacted == null ? null : maskTrailingPrefix(redacted);
        }
        return maskTrailingPrefix(redacted.substring(0, maxChars)) + "...";
    }

    /** The shortest secret beginning that is masked where a text ends. */
    static final int PARTIAL_SECRET = 4;

    private String maskTrailingPrefix(String text) {
        String result = text;
        for (String secret : new String[] {token, clientToken}) {
            if (secret == null) {
                continue;
            }
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
        return "Credentials[instanceId=" + instanceId + ", token=" + (token == null ? "none" : MASK)
                + ", clientToken=" + (clientToken == null ? "none" : MASK) + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

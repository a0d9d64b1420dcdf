package zapi.grouproutes.zapi;

import zapi.grouproutes.secret.SecretMask;

/**
 * The instance ID, instance token and account Client-Token. The token travels in the URL path and the
 * Client-Token in a header; neither may be printed, so {@link #toString()} shows neither and
 * {@link #redact(String)} scrubs both out of any text that came back from the wire ({@link SecretMask}).
 */
public record Credentials(String instanceId, String token, String clientToken) {

    static final String MASK = SecretMask.MASK;

    public Credentials {
        instanceId = blankToNull(instanceId);
        token = blankToNull(token);
        clientToken = blankToNull(clientToken);
    }

    /** Without an instance ID and token the product runs against its embedded simulator. */
    public boolean present() {
        return instanceId != null && token != null;
    }

    /** The token and the Client-Token masked in a text that came back from the wire. */
    public String redact(String text) {
        return mask().mask(text);
    }

    /** {@link SecretMask#maskAndShorten}: masked before the cut, and a secret's beginning at the end masked too. */
    public String redactAndShorten(String text, int maxChars) {
        return mask().maskAndShorten(text, maxChars);
    }

    /** The two secrets as one mask (the log masking holds them too: {@link zapi.grouproutes.secret.LoggedSecrets}). */
    public SecretMask mask() {
        return SecretMask.of(token, clientToken);
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

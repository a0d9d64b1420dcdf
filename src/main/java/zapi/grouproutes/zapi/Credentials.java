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

    @Override
    public String toString() {
        return "Credentials[instanceId=" + instanceId + ", token=" + (token == null ? "none" : MASK)
                + ", clientToken=" + (clientToken == null ? "none" : MASK) + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

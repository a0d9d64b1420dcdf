package zapi.grouproutes.app;

import java.util.Locale;

/** {@code service}: keep watching the inbox. {@code batch}: process what the inbox holds, then exit. */
public enum RunMode {
    SERVICE, BATCH;

    public static RunMode parse(String value) {
        if (value == null || value.isBlank()) {
            return SERVICE;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("zapi.mode must be service or batch, not '" + value + "'", e);
        }
    }
}

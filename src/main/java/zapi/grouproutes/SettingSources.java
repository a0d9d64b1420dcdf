package zapi.grouproutes;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where a setting's value comes from before Camel starts, in Camel's order: the overrides a caller passes
 * (tests), a {@code -D} system property, the environment variable named after the key, then
 * config/application.properties. A blank value means unset, as {@link Settings} reads it.
 */
public record SettingSources(Map<String, String> overrides, Properties file) {

    /** The environment variable that overrides a key: {@code zapi.report-dir} is {@code ZAPI_REPORT_DIR}. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value in force, or null when unset or blank. */
    public String text(String key) {
        for (String value : new String[] {overrides.get(key), System.getProperty(key), System.getenv(environmentVariable(key)),
                file.getProperty(key)}) {
            if (value != null) {
                return value.isBlank() ? null : value.strip();
            }
        }
        return null;
    }

    /** Every value the key has in any source (secrets are masked in all of them, whichever wins). */
    public String[] everyValue(String key) {
        return new String[] {overrides.get(key), System.getProperty(key), System.getenv(environmentVariable(key)), file.getProperty(key)};
    }
}

package zapi.grouproutes;

import java.util.Locale;

import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads the settings of config/application.properties through Camel's properties component (so each key
 * can be overridden by its upper-snake-case environment variable or a -D property), treating a blank
 * value (an empty environment variable, say) as unset, and naming the key when a value is malformed.
 */
public record Settings(PropertiesComponent properties) {

    public String text(String key, String fallback) {
        return properties.resolveProperty(key).filter(v -> !v.isBlank()).map(String::strip).orElse(fallback);
    }

    public boolean flag(String key) {
        String value = text(key, "false").toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
        }
        return value.equals("true");
    }

    public long number(String key, long fallback) {
        String value = text(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'", e);
        }
    }
}

package zapi.grouproutes;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.quartz.CronExpression;

import zapi.grouproutes.operations.ProgressInterval;

/**
 * What one setting accepts: a test of its value, the words that say what is needed, and a valid example.
 * The types of config/application.properties are the static factories; {@link SettingsCheck} lists each key
 * with its type.
 */
public record SettingRule(String key, Predicate<String> accepts, String needs, String example, boolean secret) {

    /** The one-line refusal: the key, its environment variable, what was given, what is needed and an example. */
    public String refusal(String given) {
        return key + " (" + SettingSources.environmentVariable(key) + ") is " + (secret ? "malformed" : "'" + given + "'") + ": "
                + needs + ", e.g. " + example;
    }

    static SettingRule whole(String key, long min, long max, String example) {
        String range = max >= Integer.MAX_VALUE ? (min == 0 ? "0 or more" : "at least " + min) : "from " + min + " to " + max;
        return new SettingRule(key, v -> wholeNumber(v, min, max), "a whole number, " + range, example, false);
    }

    static SettingRule decimal(String key, double min, String example) {
        return new SettingRule(key, v -> decimalNumber(v, min, false), "a number of at least " + plain(min), example, false);
    }

    static SettingRule autoOrWhole(String key, long min, String example) {
        return new SettingRule(key, v -> v.equalsIgnoreCase("auto") || wholeNumber(v, min, Long.MAX_VALUE),
                "auto or a whole number of at least " + min, example, false);
    }

    static SettingRule autoOrRate(String key) {
        return new SettingRule(key, v -> v.equalsIgnoreCase("auto") || decimalNumber(v, 0, true), "auto or a number above 0 (requests/s)",
                "auto, 5 or 0.5", false);
    }

    static SettingRule rate(String key, String example) {
        return new SettingRule(key, v -> decimalNumber(v, 0, true), "a number above 0 (requests/s)", example, false);
    }

    static SettingRule oneOf(String key, String... values) {
        List<String> known = Arrays.stream(values).map(v -> v.toLowerCase(Locale.ROOT)).toList();
        return new SettingRule(key, v -> known.contains(v.toLowerCase(Locale.ROOT)), "one of " + String.join(", ", values), values[0], false);
    }

    static SettingRule flag(String key) {
        return oneOf(key, "true", "false");
    }

    /** A comma-separated list of known names, at least one. */
    static SettingRule listOf(String key, String example, String... values) {
        List<String> known = Arrays.stream(values).map(v -> v.toLowerCase(Locale.ROOT)).toList();
        return new SettingRule(key, v -> {
            List<String> names = Arrays.stream(v.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
            return !names.isEmpty() && names.stream().allMatch(n -> known.contains(n.toLowerCase(Locale.ROOT)));
        }, "a comma-separated list of " + String.join(", ", values), example, false);
    }

    static SettingRule matching(String key, String regex, String needs, String example, boolean secret) {
        Pattern pattern = Pattern.compile(regex);
        return new SettingRule(key, v -> pattern.matcher(v).matches(), needs, example, secret);
    }

    static SettingRule path(String key, String example) {
        return new SettingRule(key, SettingRule::isPath, "a folder or file path", example, false);
    }

    /** A URL with an http or https scheme and a host, nothing after the path. */
    static SettingRule httpUrl(String key, String example) {
        return new SettingRule(key, v -> {
            try {
                URI uri = new URI(v);
                return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null
                        && uri.getRawQuery() == null && uri.getRawFragment() == null;
            } catch (URISyntaxException e) {
                return false;
            }
        }, "an http or https URL with a host (no query)", example, false);
    }

    /** Kafka's rule for topic names. */
    static SettingRule topic(String key, String example) {
        return matching(key, "[A-Za-z0-9._-]{1,249}", "a Kafka topic name (letters, digits, '.', '_', '-')", example, false);
    }

    static SettingRule cron(String key) {
        return new SettingRule(key, CronExpression::isValidExpression, "a Quartz cron expression, seconds first", "0 0 6 * * ?", false);
    }

    static SettingRule zone(String key) {
        return new SettingRule(key, v -> {
            try {
                ZoneId.of(v);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }, "a time zone", "America/Sao_Paulo", false);
    }

    static SettingRule interval(String key) {
        return new SettingRule(key, v -> {
            try {
                ProgressInterval.parse(v);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }, "seconds or a duration", "30, 30s, 2m or 500ms", false);
    }

    static boolean isPath(String value) {
        try {
            Path.of(value);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean wholeNumber(String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean decimalNumber(String value, double min, boolean aboveMin) {
        try {
            double n = Double.parseDouble(value);
            return Double.isFinite(n) && (aboveMin ? n > min : n >= min);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String plain(double n) {
        return n == Math.rint(n) ? String.valueOf((long) n) : String.valueOf(n);
    }
}

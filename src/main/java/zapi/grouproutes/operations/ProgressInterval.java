package zapi.grouproutes.operations;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code zapi.progress-interval}: a whole number of seconds ({@code 30}) or a duration with units
 * ({@code 30s}, {@code 2m}, {@code 1m30s}, {@code 500ms}). A plain number means seconds here, not
 * milliseconds as in Camel's own options, because that is how an operator writes an interval in
 * an environment variable.
 */
public final class ProgressInterval {

    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

    private ProgressInterval() {
    }

    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration interval = null;
        if (value.matches("\\d+")) {
            interval = Duration.ofSeconds(Long.parseLong(value));
        } else {
            Matcher units = UNITS.matcher(value);
            if (!value.isEmpty() && units.matches()) {
                interval = Duration.ofHours(number(units.group(1))).plusMinutes(number(units.group(2)))
                        .plusSeconds(number(units.group(3))).plusMillis(number(units.group(4)));
            }
        }
        if (interval == null || interval.isZero()) {
            throw new IllegalArgumentException("zapi.progress-interval must be seconds (30) or a duration (30s, 2m, 1m30s, 500ms), not '"
                    + text + "'");
        }
        return interval;
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}

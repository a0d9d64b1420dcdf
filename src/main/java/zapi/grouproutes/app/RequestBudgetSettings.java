package zapi.grouproutes.app;

import java.math.BigDecimal;
import java.util.Locale;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

import zapi.grouproutes.Settings;
import zapi.grouproutes.zapi.AdaptiveRate;
import zapi.grouproutes.zapi.RequestBudget;

/**
 * Checks the settings the routes and the request budget read as they are: the retry counts of
 * routes/error-handling and the request rate of {@code zapi.grouproutes.zapi.RequestBudget}.
 * <ul>
 * <li>A negative retry count is refused: Camel reads -1 as "retry forever", so a typo would turn one
 * 503 or one database outage into a batch that never ends.</li>
 * <li>The rate is {@code auto} (the default: it starts at {@code zapi.rate.initial} and finds the API's
 * limit, at most {@code zapi.rate.max}) or a fixed number, which may be fractional (0.5 = one request
 * every 2 s).</li>
 * </ul>
 */
public final class RequestBudgetSettings implements CamelConfiguration {

    static final String RATE = "zapi.rate.requests-per-second";
    static final String INITIAL = "zapi.rate.initial";
    static final String MAX = "zapi.rate.max";
    static final String AUTO = "auto";
    static final String DEFAULT_INITIAL = "5";
    static final String DEFAULT_MAX = "250";
    static final String[] RETRY_COUNTS = {"zapi.retry.max-redeliveries", "zapi.db.retry.max-redeliveries"};

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        for (String key : RETRY_COUNTS) {
            String value = properties.resolveProperty(key).map(String::strip).orElse("");
            if (!value.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException(key + " must be 0 or more (a whole number; Camel would read -1 as"
                        + " \"retry forever\"), not '" + value + "'");
            }
        }
        budget(new Settings(properties));
    }

    /** The budget the settings describe: a fixed cap, or with {@code auto} an adaptive rate. */
    public static RequestBudget budget(Settings settings) {
        String rate = settings.text(RATE, AUTO);
        if (!rate.toLowerCase(Locale.ROOT).equals(AUTO)) {
            return new RequestBudget(requestsPerSecond(RATE, rate));
        }
        double initial = requestsPerSecond(INITIAL, settings.text(INITIAL, DEFAULT_INITIAL));
        double max = requestsPerSecond(MAX, settings.text(MAX, DEFAULT_MAX));
        if (initial > max) {
            throw new IllegalArgumentException(INITIAL + " (" + initial + ") must not be more than " + MAX + " (" + max + ")");
        }
        return new RequestBudget(new AdaptiveRate(initial, max, System.nanoTime()));
    }

    /** A rate setting's value as requests per second: a positive number, fractional or not. */
    static double requestsPerSecond(String key, String text) {
        BigDecimal rate;
        try {
            rate = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be " + (key.equals(RATE) ? "auto or " : "")
                    + "a number of requests per second (5, 0.5), not '" + text + "'", e);
        }
        // below one request per hour is a typo, not a rate
        if (rate.compareTo(new BigDecimal("0.0003")) < 0) {
            throw new IllegalArgumentException(key + " must be more than 0 (0.5 is one request every 2 s), not '" + text + "'");
        }
        return rate.doubleValue();
    }
}

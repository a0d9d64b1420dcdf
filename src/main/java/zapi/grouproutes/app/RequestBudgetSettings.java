package zapi.grouproutes.app;

import java.math.BigDecimal;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Checks the settings the routes and the request budget read as they are: the retry counts of
 * routes/error-handling and the request rate of {@code zapi.grouproutes.zapi.RequestBudget}.
 * <ul>
 * <li>A negative retry count is refused: Camel reads -1 as "retry forever", so a typo would turn one
 * 503 or one database outage into a batch that never ends.</li>
 * <li>The rate may be fractional (0.5 = one request every 2 s); it must be a positive number.</li>
 * </ul>
 */
public final class RequestBudgetSettings implements CamelConfiguration {

    static final String RATE = "zapi.rate.requests-per-second";
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
        requestsPerSecond(properties.resolveProperty(RATE).orElse(""));
    }

    /** The setting's value as a rate; empty means the default, 5. */
    public static double requestsPerSecond(String setting) {
        String text = setting == null || setting.isBlank() ? "5" : setting.strip();
        BigDecimal rate;
        try {
            rate = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(RATE + " must be a number of requests per second (5, 0.5), not '" + text + "'", e);
        }
        // below one request per hour is a typo, not a rate
        if (rate.compareTo(new BigDecimal("0.0003")) < 0) {
            throw new IllegalArgumentException(RATE + " must be more than 0 (0.5 is one request every 2 s), not '" + text + "'");
        }
        return rate.doubleValue();
    }
}

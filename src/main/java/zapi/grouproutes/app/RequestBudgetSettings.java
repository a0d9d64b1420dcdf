package zapi.grouproutes.app;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Checks and shapes the settings the routes read as they are: the retry counts of
 * routes/error-handling and the request rate of routes/enrichment/zapi-calls.camel.yaml.
 * <ul>
 * <li>A negative retry count is refused: Camel reads -1 as "retry forever", so a typo would turn one
 * 503 or one database outage into a batch that never ends.</li>
 * <li>The rate may be fractional (0.5 = one request every 2 s). Camel's throttle counts whole
 * requests per period, so the rate becomes a request count and a period for it:
 * {@code zapi.rate.requests-per-period} in {@code zapi.rate.period-ms} (5 → 5 per 1000 ms, 0.5 → 1
 * per 2000 ms, 2.5 → 3 per 1200 ms), the smallest whole count, to keep bursts small.</li>
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
        String rate = properties.resolveProperty(RATE).map(String::strip).filter(v -> !v.isEmpty()).orElse("5");
        Throttle throttle = Throttle.of(rate);
        properties.addOverrideProperty("zapi.rate.requests-per-period", String.valueOf(throttle.requests()));
        properties.addOverrideProperty("zapi.rate.period-ms", String.valueOf(throttle.periodMillis()));
    }

    /** {@code requests} per {@code periodMillis}: what Camel's throttle can count. */
    record Throttle(long requests, long periodMillis) {

        static Throttle of(String requestsPerSecond) {
            BigDecimal rate;
            try {
                rate = new BigDecimal(requestsPerSecond);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(RATE + " must be a number of requests per second (5, 0.5), not '" + requestsPerSecond + "'", e);
            }
            // below one request per hour is a typo, not a rate
            if (rate.compareTo(new BigDecimal("0.0003")) < 0) {
                throw new IllegalArgumentException(RATE + " must be more than 0 (0.5 is one request every 2 s), not '" + requestsPerSecond + "'");
            }
            long requests = Math.max(1, rate.setScale(0, RoundingMode.CEILING).longValueExact());
            long period = BigDecimal.valueOf(requests * 1000).divide(rate, 0, RoundingMode.HALF_UP).longValueExact();
            return new Throttle(requests, Math.max(1, period));
        }
    }
}

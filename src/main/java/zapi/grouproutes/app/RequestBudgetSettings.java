package zapi.grouproutes.app;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

import com.zaxxer.hikari.HikariDataSource;

import zapi.grouproutes.RootCause;
import zapi.grouproutes.Settings;
import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.DatabaseStartupException;
import zapi.grouproutes.database.RateBuckets;
import zapi.grouproutes.enrichment.ConcurrencySettings;
import zapi.grouproutes.zapi.AdaptiveRate;
import zapi.grouproutes.zapi.ClusterBudget;
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
 * <li>The scope ({@code zapi.rate.scope}) is {@code instance} (a budget per process) or {@code cluster} (one
 * budget for every instance on the database, {@code zapi.grouproutes.zapi.ClusterBudget}); empty means
 * {@code cluster} on PostgreSQL or MariaDB and {@code instance} on H2. {@code cluster} on H2 is refused:
 * an embedded H2 file is opened by one process at a time, so no other instance could share it, and
 * Bucket4j has no H2 table to keep the bucket in. Saying {@code cluster} and getting a budget per
 * process would be the one outcome worse than refusing.</li>
 * </ul>
 */
public final class RequestBudgetSettings implements CamelConfiguration {

    static final String RATE = "zapi.rate.requests-per-second";
    static final String INITIAL = "zapi.rate.initial";
    static final String MAX = "zapi.rate.max";
    static final String AUTO = "auto";
    static final String DEFAULT_INITIAL = "5";
    static final String DEFAULT_MAX = "250";
    static final String SCOPE = "zapi.rate.scope";
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
        Settings settings = new Settings(properties);
        budget(settings);
        cluster(settings);
    }

    /**
     * Whether the budget is shared by the instances on the database ({@code zapi.rate.scope=cluster}), from
     * the setting or, empty, from the database {@code zapi.db.url} names.
     */
    public static boolean cluster(Settings settings) {
        String scope = settings.text(SCOPE, "").strip().toLowerCase(Locale.ROOT);
        String url = settings.text("zapi.db.url", "jdbc:h2:file:./data/zapi-groups");
        boolean shareable = url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
        switch (scope) {
            case "":
                return shareable;
            case "instance":
                return false;
            case "cluster":
                if (!shareable) {
                    throw new IllegalArgumentException(SCOPE + "=cluster needs a database that every instance shares (zapi.db.url on"
                            + " PostgreSQL or MariaDB); " + (url.startsWith("jdbc:h2:") ? "an H2 database is one process's" : "this one is not supported")
                            + ": use " + SCOPE + "=instance (a budget per process) or point zapi.db.url at PostgreSQL or MariaDB");
                }
                return true;
            default:
                throw new IllegalArgumentException(SCOPE + " must be instance, cluster or empty (cluster on PostgreSQL or MariaDB,"
                        + " instance on H2), not '" + settings.text(SCOPE, "") + "'");
        }
    }

    /** The budget the settings describe: a fixed cap, or with {@code auto} an adaptive rate; this process's own. */
    public static RequestBudget budget(Settings settings) {
        return budget(settings, null);
    }

    /** {@link #budget(Settings)}, shared through {@code cluster} unless that is null. */
    public static RequestBudget budget(Settings settings, ClusterBudget cluster) {
        String rate = settings.text(RATE, AUTO);
        if (!rate.toLowerCase(Locale.ROOT).equals(AUTO)) {
            double fixed = requestsPerSecond(RATE, rate);
            return cluster == null ? new RequestBudget(fixed) : RequestBudget.shared(cluster, fixed, null);
        }
        double initial = requestsPerSecond(INITIAL, settings.text(INITIAL, DEFAULT_INITIAL));
        double max = requestsPerSecond(MAX, settings.text(MAX, DEFAULT_MAX));
        if (initial > max) {
            throw new IllegalArgumentException(INITIAL + " (" + initial + ") must not be more than " + MAX + " (" + max + ")");
        }
        AdaptiveRate adaptive = new AdaptiveRate(initial, max, System.nanoTime());
        return cluster == null ? new RequestBudget(adaptive) : RequestBudget.shared(cluster, initial, adaptive);
    }

    /**
     * The shared half of the budget for the Z-API instance {@code zapiInstance}: a pool of its own on the
     * database (sized from the workers, {@link ConcurrencySettings#budgetConnections}), the bucket table's
     * Bucket4j proxy manager and the control row.
     */
    public static ClusterBudget clusterBudget(Settings settings, Database database, String zapiInstance) {
        HikariDataSource pool = database.openPool("zapi-rate", ConcurrencySettings.budgetConnections(settings));
        try {
            Duration timeout = Duration.ofMillis(settings.number("zapi.db.connect-timeout-ms", 5000));
            return new ClusterBudget(zapiInstance, pool, RateBuckets.in(database, pool, timeout), databasePatience(settings));
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new DatabaseStartupException("The shared request budget (" + SCOPE + "=cluster) cannot use " + database.settings().safeUrl()
                    + ": " + RootCause.describe(e), e);
        }
    }

    /**
     * How long the database sink waits out an outage (zapi.db.retry.*: every retry's delay, and the connect
     * timeout of each attempt): the shared budget's permits wait as long, so an outage the sink rides out does
     * not turn groups into FAILED results for want of a permit, and one it gives up on ends the same way.
     */
    static Duration databasePatience(Settings settings) {
        long retries = settings.number("zapi.db.retry.max-redeliveries", 10);
        double delay = settings.number("zapi.db.retry.initial-delay-ms", 1000);
        double multiplier = Double.parseDouble(settings.text("zapi.db.retry.multiplier", "2"));
        long maxDelay = settings.number("zapi.db.retry.max-delay-ms", 30000);
        long millis = (retries + 1) * settings.number("zapi.db.connect-timeout-ms", 5000);
        for (long i = 0; i < retries; i++) {
            millis += (long) Math.min(maxDelay, delay);
            delay *= multiplier;
        }
        return Duration.ofMillis(millis);
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

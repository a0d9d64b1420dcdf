package zapi.grouproutes.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.BatchSink;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.DatabaseOutageLog;
import zapi.grouproutes.database.DatabaseSettings;
import zapi.grouproutes.database.EnrichmentRuns;
import zapi.grouproutes.database.GroupStore;
import zapi.grouproutes.enrichment.GroupLookup;
import zapi.grouproutes.report.CsvReports;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.zapi.Credentials;
import zapi.grouproutes.zapi.ZapiClient;
import zapi.grouproutes.zapi.ZapiOutage;
import zapi.grouproutes.zapi.ZapiSettings;

/**
 * Turns {@code config/application.properties} into the beans the YAML routes call. Property values come
 * through Camel's properties component, so each key can be overridden by its upper-snake-case
 * environment variable ({@code zapi.report-dir} by {@code ZAPI_REPORT_DIR}) or a {@code -D} property.
 */
public final class Wiring implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);
    /**
     * Every sink there is, in the order their batches begin (they complete in reverse): the CSV sink
     * names the report when a batch begins, and the run table is COMPLETED before the report appears.
     */
    static final List<String> KNOWN_SINKS = List.of("csv", "jdbc");

    private final MainSupport main;
    private RunControl runControl;

    public Wiring(MainSupport main) {
        this.main = main;
    }

    RunControl runControl() {
        return runControl;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings settings = new Settings(properties);
        Clock clock = Clock.systemUTC();

        RunMode mode = RunMode.parse(settings.text("zapi.mode", "service"));
        properties.addOverrideProperty("zapi.exit-when-idle", String.valueOf(mode == RunMode.BATCH));

        Path inbox = Path.of(settings.text("zapi.inbox", "data/inbox"));
        Path reportDir = Path.of(settings.text("zapi.report-dir", "data/reports"));
        Files.createDirectories(inbox);

        Credentials credentials = new Credentials(settings.text("zapi.instance-id", null), settings.text("zapi.token", null),
                settings.text("zapi.client-token", null));
        URI baseUrl = URI.create(settings.text("zapi.base-url", "https://api.z-api.io"));
        if (!credentials.present()) {
            credentials = new Credentials("demo-instance", "demo-token-" + Long.toHexString(System.nanoTime()), "demo-client-token");
            ZapiSimulator simulator = new ZapiSimulator(credentials.instanceId(), credentials.token(), credentials.clientToken(),
                    SimulatorOptions.defaults().withLatencyMillis(settings.number("zapi.demo.latency-ms", 25))).start();
            closeOnStop(context, simulator);
            baseUrl = simulator.baseUrl();
            LOG.warn("""

                    ****************************************************************************
                    *  DEMO MODE: no ZAPI_INSTANCE_ID / ZAPI_TOKEN set.                        *
                    *  Calls go to the embedded Z-API simulator at {}, not to Z-API. *
                    *  Set ZAPI_INSTANCE_ID, ZAPI_TOKEN and ZAPI_CLIENT_TOKEN for real groups. *
                    ****************************************************************************""", baseUrl);
            seedSampleInput(inbox);
        }

        ZapiSettings zapiSettings = new ZapiSettings(baseUrl, credentials,
                Duration.ofMillis(settings.number("zapi.connect-timeout-ms", 5000)),
                Duration.ofMillis(settings.number("zapi.request-timeout-ms", 15000)),
                settings.text("zapi.invitation-link-method", "POST"),
                (int) settings.number("zapi.client-token-error-limit", 5),
                Duration.ofSeconds(settings.number("zapi.retry-after-max-seconds", 120)));
        ZapiOutage outage = new ZapiOutage((int) settings.number("zapi.outage.groups-in-a-row", 10));
        ZapiClient client = new ZapiClient(zapiSettings, outage);

        int concurrency = (int) settings.number("zapi.concurrency", 4);
        if (concurrency < 1 || settings.number("zapi.rate.requests-per-second", 5) < 1) {
            throw new IllegalArgumentException("zapi.concurrency and zapi.rate.requests-per-second must be at least 1");
        }

        List<BatchSink> sinks = new ArrayList<>();
        List<String> sinkUris = new ArrayList<>();
        List<String> enabled = enabledSinks(settings.text("zapi.sinks", "csv,jdbc"));
        String where = "";
        for (String sink : KNOWN_SINKS) {
            // routes/sinks/*.camel.yaml: a sink's route exists only when it is enabled (route precondition)
            properties.addOverrideProperty("zapi.sink." + sink + ".enabled", String.valueOf(enabled.contains(sink)));
            if (!enabled.contains(sink)) {
                continue;
            }
            sinkUris.add("direct:sink-" + sink);
            if (sink.equals("csv")) {
                CsvReports reports = new CsvReports(reportDir);
                sinks.add(reports);
                context.getRegistry().bind("csvReports", reports);
                where += ", reports " + reportDir;
            } else if (sink.equals("jdbc")) {
                Database database = openDatabase(settings, concurrency, mode);
                closeOnStop(context, database);
                sinks.add(new EnrichmentRuns(database));
                context.getRegistry().bind("groupStore", new GroupStore(database, clock));
                where += ", database " + database.settings().safeUrl();
            }
        }
        properties.addOverrideProperty("zapi.sink-uris", String.join(",", sinkUris));
        // the retry policies of routes/error-handling name it whether or not the database sink is on
        context.getRegistry().bind("databaseOutageLog", new DatabaseOutageLog());

        ThreadPoolProfile workers = new ThreadPoolProfile("zapi-enrichment");
        workers.setPoolSize(concurrency);
        workers.setMaxPoolSize(concurrency);
        // a short queue keeps a streamed file streaming: when it is full the splitting thread works too
        workers.setMaxQueueSize(concurrency * 4);
        workers.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
        ExecutorService pool = context.getExecutorServiceManager().newThreadPool(this, "zapi-enrichment", workers);

        context.getRegistry().bind("enrichmentWorkers", pool);
        context.getRegistry().bind("zapiClient", client);
        context.getRegistry().bind("zapiOutage", outage);
        context.getRegistry().bind("groupLookup", new GroupLookup(client, outage, clock));
        Batches batches = new Batches(sinks, clock);
        runControl = new RunControl(mode, main, credentials, batches);
        context.getRegistry().bind("batches", batches);
        context.getRegistry().bind("runControl", runControl);
        context.getRegistry().bind("credentials", credentials);

        LOG.info("zapi-group-routes: mode {}, inbox {}{}, Z-API {} (instance {}), concurrency {}, {} requests/s",
                mode.name().toLowerCase(Locale.ROOT), inbox, where, baseUrl, credentials.instanceId(), concurrency,
                settings.number("zapi.rate.requests-per-second", 5));
    }

    private static void closeOnStop(CamelContext context, AutoCloseable resource) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                resource.close();
            }
        });
    }

    /**
     * The pool gets one connection per worker, plus the run-table writes of the source route. A service
     * waits for a database that is not up yet; a batch run gives up at once (its input stays for the next).
     */
    private static Database openDatabase(Settings settings, int concurrency, RunMode mode) {
        return Database.open(new DatabaseSettings(settings.text("zapi.db.url", "jdbc:h2:file:./data/zapi-groups"),
                settings.text("zapi.db.user", null), settings.text("zapi.db.password", null),
                (int) settings.number("zapi.db.pool-size", concurrency + 2),
                Duration.ofMillis(settings.number("zapi.db.connect-timeout-ms", 5000)),
                Duration.ofSeconds(mode == RunMode.SERVICE ? settings.number("zapi.db.startup-wait-seconds", 300) : 0)));
    }

    static List<String> enabledSinks(String list) {
        List<String> sinks = Arrays.stream(list.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .distinct().toList();
        for (String sink : sinks) {
            if (!KNOWN_SINKS.contains(sink)) {
                throw new IllegalArgumentException("zapi.sinks: unknown sink '" + sink + "' (known: " + KNOWN_SINKS + ")");
            }
        }
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("zapi.sinks is empty: results would go nowhere");
        }
        return sinks;
    }

    /** Demo mode only: an empty inbox gets the shipped sample list, so the demo has something to show. */
    private static void seedSampleInput(Path inbox) throws IOException {
        try (Stream<Path> present = Files.list(inbox)) {
            if (present.anyMatch(p -> Files.isRegularFile(p) && p.toString().matches("(?i).*\\.(txt|csv)$"))) {
                return;
            }
        }
        Path local = Path.of("samples", "groups.txt");
        Path target = inbox.resolve("sample-groups.txt");
        if (Files.isRegularFile(local)) {
            Files.copy(local, target);
        } else {
            try (InputStream packaged = Wiring.class.getResourceAsStream("/samples/groups.txt")) {
                if (packaged == null) {
                    return;
                }
                Files.copy(packaged, target);
            }
        }
        LOG.warn("DEMO MODE: the inbox was empty; copied the sample list to {}", target);
    }

    /** Reads settings, treating a blank value (an empty environment variable, say) as unset. */
    private record Settings(PropertiesComponent properties) {
        String text(String key, String fallback) {
            return properties.resolveProperty(key).filter(v -> !v.isBlank()).map(String::strip).orElse(fallback);
        }

        long number(String key, long fallback) {
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
}

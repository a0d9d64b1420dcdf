package zapi.grouproutes.app;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.main.MainSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.Settings;
import zapi.grouproutes.WritableFolder;
import zapi.grouproutes.batch.BatchSink;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.batch.PublicationLedger;
import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.DatabaseOutageLog;
import zapi.grouproutes.database.DatabaseSettings;
import zapi.grouproutes.database.EnrichmentRuns;
import zapi.grouproutes.database.GroupStore;
import zapi.grouproutes.database.StoredGroups;
import zapi.grouproutes.database.StoredLinks;
import zapi.grouproutes.enrichment.ConcurrencySettings;
import zapi.grouproutes.enrichment.EnrichmentWorkers;
import zapi.grouproutes.enrichment.GroupLookup;
import zapi.grouproutes.event.CloudEvents;
import zapi.grouproutes.event.EventHeaders;
import zapi.grouproutes.event.KafkaBrokerCheck;
import zapi.grouproutes.report.CsvReports;
import zapi.grouproutes.report.PublishedInputsFile;
import zapi.grouproutes.secret.LoggedSecrets;
import zapi.grouproutes.source.PublishedInputs;
import zapi.grouproutes.zapi.ClusterBudget;
import zapi.grouproutes.zapi.Credentials;
import zapi.grouproutes.zapi.LinkMethod;
import zapi.grouproutes.zapi.RequestBudget;
import zapi.grouproutes.zapi.ZapiClient;
import zapi.grouproutes.zapi.ZapiHeaders;
import zapi.grouproutes.zapi.ZapiHttp;
import zapi.grouproutes.zapi.ZapiHttpClient;
import zapi.grouproutes.zapi.ZapiOutage;
import zapi.grouproutes.zapi.ZapiSettings;

/**
 * Turns {@code config/application.properties} into the beans the YAML routes call. Property values come
 * through Camel's properties component, so each key can be overridden by its upper-snake-case
 * environment variable ({@code zapi.report-dir} by {@code ZAPI_REPORT_DIR}) or a {@code -D} property.
 */
public final class Wiring implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);
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

        Credentials credentials = new Credentials(settings.text("zapi.instance-id", null), settings.text("zapi.token", null),
                settings.text("zapi.client-token", null));
        LoggedSecrets.add(credentials.token(), credentials.clientToken(), settings.text("zapi.db.password", null));
        URI baseUrl = URI.create(settings.text("zapi.base-url", "https://api.z-api.io"));
        DemoMode demo = null;
        if (settings.flag("zapi.demo")) {
            // before anything reads a path: demo mode keeps to its own folder and database
            demo = DemoMode.start(Path.of(settings.text("zapi.demo.dir", "data/demo")), settings.number("zapi.demo.latency-ms", 25),
                    credentials.present(), properties);
            closeOnStop(context, demo);
            credentials = demo.credentials();
            LoggedSecrets.add(credentials.token(), credentials.clientToken());
            baseUrl = demo.baseUrl();
        } else if (!credentials.present()) {
            throw new IllegalArgumentException(DemoMode.missingCredentials(credentials));
        }

        Path inbox = Path.of(settings.text("zapi.inbox", "data/inbox"));
        Path reportDir = Path.of(settings.text("zapi.report-dir", "data/reports"));
        SourcesAndSinks chosen = SourcesAndSinks.parse(zapi.grouproutes.webhook.WebhookSettings.withWebhook(settings.text("zapi.sources", "inbox"), settings),
                settings.text("zapi.sinks", "csv,jdbc"), mode);
        if (demo != null && chosen.hasSource("inbox")) {
            // the demo's own inbox; a configured one is created and checked by InboxConfiguration
            Files.createDirectories(inbox);
            demo.seedSampleInput(inbox);
        }
        if (demo != null && chosen.hasSource("webhook")) {
            DemoWebhookJoin.install(context, demo.simulator(), settings);
        }

        ZapiSettings zapiSettings = new ZapiSettings(baseUrl, credentials,
                Duration.ofMillis(settings.number("zapi.connect-timeout-ms", 5000)),
                Duration.ofMillis(settings.number("zapi.request-timeout-ms", 15000)),
                settings.text("zapi.invitation-link-method", "POST"),
                (int) settings.number("zapi.client-token-error-limit", 5),
                Duration.ofSeconds(settings.number("zapi.retry-after-max-seconds", 120)));
        ZapiOutage outage = new ZapiOutage((int) settings.number("zapi.outage.groups-in-a-row", 10));
        // one budget for every Z-API request: a fixed rate, or auto; this process's, or with zapi.rate.scope=cluster
        // the database's, shared by every instance on it (with the invitation-link method the 405 fallback learns)
        Database shared = null;
        ClusterBudget cluster = null;
        if (RequestBudgetSettings.cluster(settings)) {
            shared = openDatabase(settings, ConcurrencySettings.databaseConnections(settings), mode);
            closeOnStop(context, shared);
            cluster = RequestBudgetSettings.clusterBudget(settings, shared, credentials.instanceId());
            closeOnStop(context, cluster);
        }
        RequestBudget budget = RequestBudgetSettings.budget(settings, cluster);
        ZapiClient client = new ZapiClient(zapiSettings, outage, budget, cluster == null ? new LinkMethod(zapiSettings.linkMethod())
                : LinkMethod.shared(zapiSettings.linkMethod(), cluster.pool(), cluster.key()), new ZapiHttp(context, credentials));
        EnrichmentWorkers workers = ConcurrencySettings.workers(settings, budget,
                new CamelThreadFactory(context.getExecutorServiceManager().getThreadNamePattern(), "zapi-enrichment", true));
        // every request leaves through routes/enrichment/zapi-request.camel.yaml, whose endpoint is this base URL
        // alone (demo mode's simulator has its own), with a connection for every thread that may call at once
        properties.addOverrideProperty("zapi.base-url", zapiSettings.baseUrl().toString());
        properties.addOverrideProperty("zapi.http.connections", String.valueOf(ConcurrencySettings.httpConnections(workers, settings, chosen.sources())));
        context.getRegistry().bind("zapiHeaders", new ZapiHeaders());
        context.getRegistry().bind("zapiHttpClient", new ZapiHttpClient());

        List<BatchSink> sinks = new ArrayList<>();

        for (String source : SourcesAndSinks.KNOWN_SOURCES) {
            // routes/sources/*.camel.yaml: a source's route exists only when it is enabled (route precondition)
            properties.addOverrideProperty("zapi.source." + source + ".enabled", String.valueOf(chosen.hasSource(source)));
        }
        List<String> enabled = chosen.sinks();
        String where = "";
        CsvReports reports = null;
        Database database = null;
        EnrichmentRuns runs = null;
        for (String sink : SourcesAndSinks.KNOWN_SINKS) {
            // routes/sinks/*.camel.yaml: a sink's route exists only when it is enabled (route precondition)
            properties.addOverrideProperty("zapi.sink." + sink + ".enabled", String.valueOf(enabled.contains(sink)));
            if (!enabled.contains(sink)) {
                continue;
            }
            if (sink.equals("csv")) {
                reports = new CsvReports(reportDir);
                sinks.add(reports);
                context.getRegistry().bind("csvReports", reports);
                where += ", reports " + reportDir;
            } else if (sink.equals("jdbc")) {
                if (shared != null) {
                    database = shared;
                } else {
                    database = openDatabase(settings, ConcurrencySettings.databaseConnections(workers), mode);
                    closeOnStop(context, database);
                }
                runs = new EnrichmentRuns(database);
                sinks.add(runs);
                // for the schedule source (ScheduleConfiguration): its list of groups and its Quartz job store
                context.getRegistry().bind("database", database);
                context.getRegistry().bind("enrichmentRuns", runs);
                context.getRegistry().bind("groupStore", new GroupStore(database, clock, readingsKept(settings)));
                where += ", database " + database.settings().safeUrl();
            } else if (sink.equals("topic")) {
                // no batch lifecycle: each event is sent as its result settles (routes/sinks/topic.camel.yaml)
                context.getRegistry().bind("cloudEvents", new CloudEvents(clock));
                // only the headers the sink means to send leave with an event (topic.camel.yaml)
                context.getRegistry().bind("eventHeaders", new EventHeaders());
                // the database sink (after this one in the loop) opens the database: bound below
                where += ", topic " + settings.text("zapi.topic", "zapi.group-results") + " on " + settings.text("zapi.kafka.brokers", "localhost:9092");
            }
        }
        if (database != null) {
            // deliver-result compares each result's link with the stored one (link-changed events, rotation reports)
            context.getRegistry().bind("storedLinks", new StoredLinks(database));
        }
        // the commit point of a batch: the run table, or without a database a ledger file beside the reports
        // (last begun, so first completed: before the report's rename)
        PublicationLedger ledger = runs;
        if (reports != null || ledger == null) {
            // before the first batch: a report folder that cannot be written would stop every batch at its end
            WritableFolder.prepare(reportDir, "zapi.report-dir (ZAPI_REPORT_DIR) " + reportDir.toAbsolutePath(),
                    "no report could be published and every batch would stop at its end");
        }
        if (ledger == null) {
            PublishedInputsFile file = new PublishedInputsFile(reportDir);
            sinks.add(file);
            ledger = file;
        }
        recoverFromAnEarlierProcess(runs, database, reports, ledger, clock);
        PublishedInputs published = new PublishedInputs(ledger);
        if (chosen.hasSource("inbox")) {
            published.moveAwayPublished(inbox);
        }
        context.getRegistry().bind("publishedInputs", published);
        // the retry policies of routes/error-handling name it whether or not the database sink is on
        context.getRegistry().bind("databaseOutageLog", new DatabaseOutageLog());

        closeOnStop(context, workers::shutdown);
        if (workers.automatic()) {
            // Camel stops this scheduler with the context
            context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "zapi-workers-sizing")
                    .scheduleWithFixedDelay(workers::resize, 1, 1, TimeUnit.SECONDS);
        }
        context.getRegistry().bind("enrichmentWorkers", workers.executor());
        context.getRegistry().bind("zapiClient", client);
        context.getRegistry().bind("requestBudget", budget);
        context.getRegistry().bind("zapiOutage", outage);
        context.getRegistry().bind("groupLookup", new GroupLookup(client, outage, database == null ? null : new StoredGroups(database), clock));
        // the instance's own list of groups (zapi.schedule.groups=instance, the instance source), a page at a time
        context.getRegistry().bind("instanceGroups", new zapi.grouproutes.instance.InstanceGroups(context, client, outage,
                (int) settings.number("zapi.instance.page-size", zapi.grouproutes.instance.InstanceGroups.DEFAULT_PAGE_SIZE),
                database == null ? null : new zapi.grouproutes.database.InstanceMembership(database), clock,
                (int) settings.number("zapi.instance.max-left-percent", 50)));
        // a stopping batch waits for its groups in flight for as long as Camel's shutdown lets it
        Batches batches = new Batches(sinks, runs, clock,
                Batches.inFlightWait(Duration.ofSeconds(settings.number("camel.main.shutdown-timeout", 45))));
        runControl = new RunControl(mode, main);
        Intake intake = new Intake(chosen.sources(), credentials, batches, runControl, context);
        context.getRegistry().bind("batches", batches);
        context.getRegistry().bind("runControl", runControl);
        context.getRegistry().bind("intake", intake);
        context.getRegistry().bind("stuckInput", new StuckInput(intake));
        context.getRegistry().bind("credentials", credentials);
        long probeInterval = settings.number("zapi.intake.probe-interval-ms", 5000);
        Duration maxProbeInterval = Duration.ofMillis(settings.number("zapi.intake.probe-max-interval-ms", 60000));
        // one pause and one probe per source, each with its own status: a route policy suspends the inbox's
        // and the JMS consumer; the Kafka consumer is stopped and started again instead (RouteRestart says why)
        for (Source source : intake.sources()) {
            if (source.name().equals("schedule") || source.name().equals("instance")) {
                // a schedule has no pause: a tick that stops ends INCOMPLETE and the next tick is its retry;
                // the instance source runs once in batch mode, where a stop ends the run with code 2
                continue;
            }
            IntakeProbe probe = new IntakeProbe(source.name(), client, database, outage, source.status(), Duration.ofMillis(probeInterval), maxProbeInterval);
            if (chosen.hasSink("topic") || chosen.hasSource("kafka")) {
                // connecting as the consumer does: camel.component.kafka.*, security settings included
                probe.alsoChecking(new KafkaBrokerCheck(() -> context.getComponent("kafka", KafkaComponent.class).getConfiguration()));
            }
            if (source.name().equals("http")) {
                // the server keeps answering reads while paused; the probe resumes what enriches
                source.pauseByRestart(RouteRestart.probeOnly(probe));
            } else if (source.name().equals("kafka")) {
                source.pauseByRestart(new RouteRestart(probe));
            } else {
                IntakePause pause = IntakeProbe.pausePolicy(probe, probeInterval);
                source.pauseBy(pause);
                context.getRegistry().bind(source.name().equals("inbox") ? "intakePause" : source.name() + "Pause", pause);
            }
        }
        context.getManagementStrategy().addEventNotifier(new ShutdownNotice(batches));

        String from = String.join(", ", chosen.sources().stream().map(source -> source.equals("inbox") ? "inbox " + inbox : source).toList());
        LOG.info("zapi-group-routes: mode {}, sources: {}{}, Z-API {} (instance {}), concurrency {}, {}",
                mode.name().toLowerCase(Locale.ROOT), from, where, baseUrl, credentials.instanceId(),
                ConcurrencySettings.describe(workers, settings), describe(budget));
    }

    /**
     * Startup clean-up after a process that was killed or crashed: its RUNNING runs are closed as
     * INCOMPLETE (their inputs resume), and its reports' part files are finished (the batch reached its
     * commit point) or removed (it did not).
     */
    private static void recoverFromAnEarlierProcess(EnrichmentRuns runs, Database database, CsvReports reports, PublicationLedger ledger,
            Clock clock) throws Exception {
        if (runs != null) {
            runs.closeRunsOfDeadProcesses(database.settings().url().startsWith("jdbc:h2:"), clock);
        }
        if (reports != null) {
            reports.recover(ledger);
        }
    }

    private static void closeOnStop(CamelContext context, AutoCloseable resource) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                resource.close();
            }
        });
    }

    /** The rate as the startup line tells it. */
    private static String describe(RequestBudget budget) {
        return (budget.adaptive()
                ? String.format(Locale.ROOT, "rate auto (%s requests/s at first, at most %s)", budget.rate().perSecond(), budget.maxRate())
                : budget.rate().perSecond() + " requests/s") + (budget.shared() ? ", shared by the instances on the database" : "");
    }

    /** How long the sink keeps a group's participants-count readings; null: for ever (0). SettingsCheck refuses a negative. */
    private static Duration readingsKept(Settings settings) {
        long days = settings.number("zapi.db.readings-keep-days", 365);
        return days == 0 ? null : Duration.ofDays(days);
    }

    /**
     * The pool's connections by default: see {@link ConcurrencySettings#databaseConnections}. A service
     * waits for a database that is not up yet; a batch run gives up at once (its input stays for the next).
     */
    private static Database openDatabase(Settings settings, int connections, RunMode mode) {
        return Database.open(new DatabaseSettings(settings.text("zapi.db.url", "jdbc:h2:file:./data/zapi-groups"),
                settings.text("zapi.db.user", null), settings.text("zapi.db.password", null),
                (int) settings.number("zapi.db.pool-size", connections),
                Duration.ofMillis(settings.number("zapi.db.connect-timeout-ms", 5000)),
                Duration.ofSeconds(mode == RunMode.SERVICE ? settings.number("zapi.db.startup-wait-seconds", 300) : 0)));
    }
}

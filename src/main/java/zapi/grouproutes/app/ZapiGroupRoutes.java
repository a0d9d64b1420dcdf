package zapi.grouproutes.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.camel.main.Main;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.SettingSources;
import zapi.grouproutes.SettingsCheck;
import zapi.grouproutes.database.DatabaseStartupException;
import zapi.grouproutes.secret.LoggedSecrets;
import zapi.grouproutes.source.InboxConfiguration;
import zapi.grouproutes.source.JmsQueueConfiguration;
import zapi.grouproutes.operations.ObserveSwitch;
import zapi.grouproutes.operations.OperationsWiring;

/**
 * Starts the route bundle with Camel Main. Routes and settings are read from {@code routes/} and
 * {@code config/} in the working directory when they exist there, else from the copies packaged in the
 * jar, so the jar runs anywhere and a deployment can still edit its routes and settings in place.
 */
public final class ZapiGroupRoutes {

    private ZapiGroupRoutes() {
    }

    /** The folders of {@code routes/}; a jar's classpath cannot be scanned with {@code **}, so each is named. */
    static final List<String> ROUTE_FOLDERS = List.of("sources", "enrichment", "sinks", "error-handling", "operations");

    static String routesIncludePattern(boolean fromWorkingDirectory) {
        if (!fromWorkingDirectory) {
            // the packaged files by name: Camel's wildcard scan of the jar costs seconds (PackagedRoutes)
            String packaged = PackagedRoutes.includePattern(ROUTE_FOLDERS);
            if (packaged != null) {
                return packaged;
            }
        }
        String scheme = fromWorkingDirectory ? "file:" : "classpath:";
        return ROUTE_FOLDERS.stream().map(folder -> scheme + "routes/" + folder + "/*.camel.yaml").collect(Collectors.joining(","));
    }

    public static void main(String[] args) throws Exception {
        TheRunsExitCode exitCode = new TheRunsExitCode();
        int exit = run(Map.of());
        // log4j's shutdown hook is off (log4j2.xml), so the lines of a graceful shutdown are all written
        LogManager.shutdown();
        exitCode.decided(exit);
        System.exit(exit);
    }

    /**
     * A SIGTERM starts the JVM's shutdown hooks, Camel's among them, which stops the run gracefully; the JVM
     * then ends with 143 as soon as the hooks are done, whatever the run decided (0, or 2 for a batch-mode
     * run whose input is not done), and System.exit in the main thread would only wait. This hook waits for
     * the run's code and ends the process with it. On an ordinary exit it is removed first, so it never cuts
     * short another hook.
     */
    private static final class TheRunsExitCode {
        private final java.util.concurrent.CountDownLatch decided = new java.util.concurrent.CountDownLatch(1);
        private volatile int code;
        private final Thread hook = new Thread(this::endWithTheRunsCode, "exit-code");

        TheRunsExitCode() {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        void decided(int exit) {
            code = exit;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // a SIGTERM: the hook is running and waits for this
            }
            decided.countDown();
        }

        private void endWithTheRunsCode() {
            try {
                // the graceful stop takes up to camel.main.shutdown-timeout; past that, the JVM's own code stands
                if (decided.await(5, java.util.concurrent.TimeUnit.MINUTES)) {
                    Runtime.getRuntime().halt(code);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs until the mode says stop and returns the exit code: 0, or {@link RunControl#EXIT_BATCH_STOPPED}.
     *
     * @param overrides settings that win over every other source (tests use them)
     */
    public static int run(Map<String, String> overrides) throws Exception {
        return new Application(overrides).run();
    }

    /** The run could not start: a setting is wrong or the database is unreachable. */
    public static final int EXIT_CANNOT_START = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ZapiGroupRoutes.class);

    /** Our own explanation if the chain has one (it names the setting or the database), else the top message. */
    static String startupCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatabaseStartupException || t instanceof IllegalArgumentException) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** One configured run: {@link #run()} blocks until the mode says stop, {@link #stop()} ends it from outside. */
    public static final class Application {

        private final Main main = new Main();
        private final Wiring wiring = new Wiring(main);
        private final SettingSources sources;

        public Application(Map<String, String> overrides) {
            // before anything resolves a setting: Camel's properties parser logs each value it resolves (at
            // DEBUG), and an operator's own log4j2 file may let that through; every event is masked instead
            LoggedSecrets.install();
            sources = new SettingSources(Map.copyOf(overrides), packagedOrLocal());
            LoggedSecrets.KEYS.forEach(key -> LoggedSecrets.add(sources.everyValue(key)));
            // before Wiring: DEBUG from the first bean on
            main.configure().addConfiguration(new LogLevelSwitch());
            main.configure().addConfiguration(new RequestBudgetSettings());
            // Wiring before the inbox check: it decides demo mode (its own inbox) or refuses to start without credentials
            // before anything is written; the inbox is then checked before any route starts
            main.configure().addConfiguration(wiring);
            main.configure().addConfiguration(new InboxConfiguration());
            main.configure().addConfiguration(new zapi.grouproutes.source.KafkaTopicConfiguration());
            // after Wiring: it reads zapi.source.jms.enabled and the credentials bean (to redact failure texts)
            main.configure().addConfiguration(new JmsQueueConfiguration());
            // after Wiring: it reads zapi.source.schedule.enabled and Wiring's database, client and run table
            main.configure().addConfiguration(new zapi.grouproutes.schedule.ScheduleConfiguration());
            // after Wiring: the http source's reads use Wiring's database
            main.configure().addConfiguration(new zapi.grouproutes.http.HttpApiConfiguration());
            // after Wiring: it instruments Wiring's beans
            main.configure().addConfiguration(new OperationsWiring());
            // after OperationsWiring: the webhook source uses Wiring's database and credentials, and the meter registry
            main.configure().addConfiguration(new zapi.grouproutes.webhook.WebhookConfiguration());
            // before ObserveSwitch: it turns Camel's HTTP server on, whose port the management port must differ from
            main.addMainListener(new zapi.grouproutes.http.HttpServerSwitch());
            main.addMainListener(new ObserveSwitch());
            main.configure().setRoutesIncludePattern(routesIncludePattern(Files.isDirectory(Path.of("routes"))));
            main.setPropertyPlaceholderLocations(Files.isRegularFile(Path.of("config", "application.properties"))
                    ? "file:config/application.properties" : "classpath:config/application.properties");
            Properties override = new Properties();
            override.putAll(overrides);
            main.setOverrideProperties(override);
        }

        /** config/application.properties as the run reads it: the working directory's, else the jar's. */
        private static Properties packagedOrLocal() {
            Properties file = new Properties();
            Path local = Path.of("config", "application.properties");
            try (InputStream in = Files.isRegularFile(local) ? Files.newInputStream(local)
                    : ZapiGroupRoutes.class.getResourceAsStream("/config/application.properties")) {
                if (in != null) {
                    file.load(in);
                }
            } catch (IOException e) {
                // the run reads it again and says what is wrong
            }
            return file;
        }

        public int run() throws Exception {
            int mainExit;
            try {
                // every setting's type before Camel reads one: a malformed value is named, not met deep in a parser
                SettingsCheck.check(sources);
                mainExit = main.run(new String[0]);
            } catch (Exception e) {
                // a setting or a database that makes the run impossible: one line that says which, exit 1
                LOG.error("zapi-group-routes cannot start: {}", startupCause(e));
                return EXIT_CANNOT_START;
            }
            int exit = wiring.runControl() == null ? EXIT_CANNOT_START : wiring.runControl().exitCode();
            return exit != 0 ? exit : mainExit;
        }

        /** The running Camel context, or null before it has started. */
        public org.apache.camel.CamelContext camelContext() {
            return main.getCamelContext();
        }

        /** What an operator's stop (SIGTERM) does: a graceful shutdown. */
        public void stop() {
            main.completed();
        }
    }
}

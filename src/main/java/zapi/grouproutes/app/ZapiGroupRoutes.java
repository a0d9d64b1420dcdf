package zapi.grouproutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.camel.main.Main;

/**
 * Starts the route bundle with Camel Main. Routes and settings are read from {@code routes/} and
 * {@code config/} in the working directory when they exist there, else from the copies packaged in the
 * jar, so the jar runs anywhere and a deployment can still edit its routes and settings in place.
 */
public final class ZapiGroupRoutes {

    private ZapiGroupRoutes() {
    }

    /** The folders of {@code routes/}; a jar's classpath cannot be scanned with {@code **}, so each is named. */
    static final List<String> ROUTE_FOLDERS = List.of("sources", "enrichment", "sinks", "error-handling");

    static String routesIncludePattern(boolean fromWorkingDirectory) {
        String scheme = fromWorkingDirectory ? "file:" : "classpath:";
        return ROUTE_FOLDERS.stream().map(folder -> scheme + "routes/" + folder + "/*.camel.yaml").collect(Collectors.joining(","));
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(Map.of()));
    }

    /**
     * Runs until the mode says stop and returns the exit code: 0, or {@link RunControl#EXIT_BATCH_STOPPED}.
     *
     * @param overrides settings that win over every other source (tests use them)
     */
    public static int run(Map<String, String> overrides) throws Exception {
        return new Application(overrides).run();
    }

    /** One configured run: {@link #run()} blocks until the mode says stop, {@link #stop()} ends it from outside. */
    public static final class Application {

        private final Main main = new Main();
        private final Wiring wiring = new Wiring(main);

        public Application(Map<String, String> overrides) {
            main.configure().addConfiguration(wiring);
            main.configure().setRoutesIncludePattern(routesIncludePattern(Files.isDirectory(Path.of("routes"))));
            main.setPropertyPlaceholderLocations(Files.isRegularFile(Path.of("config", "application.properties"))
                    ? "file:config/application.properties" : "classpath:config/application.properties");
            Properties override = new Properties();
            override.putAll(overrides);
            main.setOverrideProperties(override);
        }

        public int run() throws Exception {
            int mainExit = main.run(new String[0]);
            int exit = wiring.runControl() == null ? 1 : wiring.runControl().exitCode();
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

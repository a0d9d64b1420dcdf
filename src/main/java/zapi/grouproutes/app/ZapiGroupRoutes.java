package zapi.grouproutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.main.Main;

/**
 * Starts the route bundle with Camel Main. Routes and settings are read from {@code routes/} and
 * {@code config/} in the working directory when they exist there, else from the copies packaged in the
 * jar, so the jar runs anywhere and a deployment can still edit its routes and settings in place.
 */
public final class ZapiGroupRoutes {

    private ZapiGroupRoutes() {
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
        Main main = new Main();
        Wiring wiring = new Wiring(main);
        main.configure().addConfiguration(wiring);
        main.configure().setRoutesIncludePattern(Files.isDirectory(Path.of("routes"))
                ? "file:routes/**/*.camel.yaml" : "classpath:routes/**/*.camel.yaml");
        main.setPropertyPlaceholderLocations(Files.isRegularFile(Path.of("config", "application.properties"))
                ? "file:config/application.properties" : "classpath:config/application.properties");
        Properties override = new Properties();
        override.putAll(overrides);
        main.setOverrideProperties(override);
        int mainExit = main.run(new String[0]);
        int exit = wiring.runControl() == null ? 1 : wiring.runControl().exitCode();
        return exit != 0 ? exit : mainExit;
    }
}

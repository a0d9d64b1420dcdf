package zapi.grouproutes.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.zapi.Credentials;

/**
 * The embedded Z-API simulator in place of Z-API, only when {@code zapi.demo=true} asks for it. A missing
 * credential never switches it on: fake links in a production database are worse than a run that does not
 * start. Demo mode keeps to its own folder ({@code zapi.demo.dir}: inbox, reports and H2 database), so it
 * never writes where a configured deployment reads or writes.
 */
final class DemoMode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);

    private final ZapiSimulator simulator;
    private final Credentials credentials;

    private DemoMode(ZapiSimulator simulator, Credentials credentials) {
        this.simulator = simulator;
        this.credentials = credentials;
    }

    /** The line a run without credentials and without the switch exits with. */
    static String missingCredentials(Credentials configured) {
        List<String> missing = new ArrayList<>();
        if (configured.instanceId() == null) {
            missing.add("ZAPI_INSTANCE_ID");
        }
        if (configured.token() == null) {
            missing.add("ZAPI_TOKEN");
        }
        return String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
                + " not set. Set the instance's credentials (and ZAPI_CLIENT_TOKEN if the account uses one), or set ZAPI_DEMO=true"
                + " to try the embedded Z-API simulator";
    }

    /**
     * Starts the simulator and points every path setting at {@code dir}, overriding whatever the deployment
     * configured, so the routes and the database sink read the demo's paths.
     */
    static DemoMode start(Path dir, long latencyMillis, boolean credentialsConfigured, PropertiesComponent properties) throws IOException {
        Credentials credentials = new Credentials("demo-instance", "demo-token-" + Long.toHexString(System.nanoTime()), "demo-client-token");
        ZapiSimulator simulator = new ZapiSimulator(credentials.instanceId(), credentials.token(), credentials.clientToken(),
                SimulatorOptions.defaults().withLatencyMillis(latencyMillis)).start();
        properties.addOverrideProperty("zapi.inbox", dir.resolve("inbox").toString());
        properties.addOverrideProperty("zapi.report-dir", dir.resolve("reports").toString());
        properties.addOverrideProperty("zapi.api.batch-spool", dir.resolve("api-batches").toString());
        properties.addOverrideProperty("zapi.db.url", "jdbc:h2:file:" + dir.resolve("zapi-groups").toAbsolutePath());
        properties.addOverrideProperty("zapi.db.user", "");
        properties.addOverrideProperty("zapi.db.password", "");
        LOG.warn("""

                ****************************************************************************
                *  DEMO MODE (ZAPI_DEMO=true): calls go to the embedded Z-API simulator at  *
                *  {}, not to Z-API. Links and metadata are made up.
                *  Inbox, reports and database are under {}; configured ones are unused.
                *  Unset ZAPI_DEMO and set ZAPI_INSTANCE_ID and ZAPI_TOKEN for real groups.  *
                ****************************************************************************""",
                simulator.baseUrl(), dir);
        if (credentialsConfigured) {
            LOG.warn("DEMO MODE: ZAPI_INSTANCE_ID and ZAPI_TOKEN are set but not used, because ZAPI_DEMO=true");
        }
        return new DemoMode(simulator, credentials);
    }

    Credentials credentials() {
        return credentials;
    }

    URI baseUrl() {
        return simulator.baseUrl();
    }

    ZapiSimulator simulator() {
        return simulator;
    }

    /** An empty demo inbox gets the shipped sample list, so the demo has something to show. */
    void seedSampleInput(Path inbox) throws IOException {
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
            try (InputStream packaged = DemoMode.class.getResourceAsStream("/samples/groups.txt")) {
                if (packaged == null) {
                    return;
                }
                Files.copy(packaged, target);
            }
        }
        // written whole before any route starts: dated past the inbox's minimum file age, so the demo
        // does not wait for it
        Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
        LOG.warn("DEMO MODE: the demo inbox was empty; copied the sample list to {}", target);
    }

    @Override
    public void close() {
        simulator.close();
    }
}

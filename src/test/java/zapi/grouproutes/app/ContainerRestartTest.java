package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * Two starts of the application as a container runs them: each in a PID namespace of its own, so each is
 * PID 1 on the same host. The first is killed with -9 mid-batch; the second closes the first's RUNNING run
 * (before: PID 1 was alive, being the second itself, and the row stayed RUNNING for ever) and resumes.
 */
class ContainerRestartTest {

    static final String INSTANCE = "inst-ctr";
    static final String TOKEN = "TkN-ctr-5d2a-secret";
    static final String CLIENT_TOKEN = "CtK-ctr-7e4b-secret";

    @TempDir
    Path dir;

    private static boolean canUnshare() {
        try {
            Process probe = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true").redirectErrorStream(true).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** The application's main class as PID 1 of a new PID namespace; it dies with the unshare process. */
    private static Process asPidOne(Map<String, String> settings, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL"));
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ZapiGroupRoutes.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    @Test
    void aRestartInANewPidNamespaceClosesTheRunOfTheKilledOne() throws Exception {
        if (!canUnshare()) {
            Assumptions.assumeFalse("true".equals(System.getenv("CI")), "unshare --pid must work when CI=true");
            System.out.println("ContainerRestartTest skipped: unshare --pid --fork --mount-proc is not permitted here (needs root)");
            Assumptions.abort("unshare not permitted");
        }
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(100)).start();
             TestDatabase db = TestDatabase.postgres()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(db.settings()).with("zapi.concurrency", "2")
                    .input("groups.txt", InboxBatchTest.ids(300));
            Map<String, String> service = new HashMap<>(run.settings());
            service.put("zapi.mode", "service");
            Process first = asPidOne(service, dir.resolve("first"));
            try {
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'RUNNING'") == 1 && zapi.requestCount() > 10);
            } finally {
                first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            Map<String, Object> killed = db.row("SELECT run_id, owner FROM zapi_enrichment_run WHERE status = 'RUNNING'");
            assertThat((String) killed.get("owner")).as("PID 1 in its namespace").contains("/1/");

            Process second = asPidOne(run.settings(), dir.resolve("second"));
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the second run ends").isTrue();
            assertThat(second.exitValue()).as("exit code, see %s", dir.resolve("second/child.log")).isZero();

            assertThat(db.row("SELECT status FROM zapi_enrichment_run WHERE run_id = ?", killed.get("run_id")).get("status")).isEqualTo("INCOMPLETE");
            assertThat(db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'RUNNING'")).isZero();
            assertThat(Files.readString(dir.resolve("second/child.log"))).contains("was left RUNNING by a process that is gone");
        }
    }
}

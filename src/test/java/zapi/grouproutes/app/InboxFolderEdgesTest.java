package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static zapi.grouproutes.app.InboxBatchTest.CLIENT_TOKEN;
import static zapi.grouproutes.app.InboxBatchTest.INSTANCE;
import static zapi.grouproutes.app.InboxBatchTest.TOKEN;
import static zapi.grouproutes.app.InboxBatchTest.ids;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;

/** Issue 24, section 3: an input that cannot leave the inbox, and a report folder that is a file. */
class InboxFolderEdgesTest {

    @TempDir
    Path dir;

    /**
     * A rejected input whose move to .rejected/ fails would be read, rejected and left again at every
     * poll. It is one ERROR instead, the inbox source stopped and readiness DOWN with the reason.
     */
    @Test
    void aRejectedInputThatCannotBeMovedStopsTheInboxOnceAndSaysWhy() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(0)).start();
             CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.inbox.poll-delay-ms", "50");
            ServiceRun service = run.startAsService();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> context(service) != null
                        && context(service).getRouteController().getRouteStatus("inbox-files") == ServiceStatus.Started);
                Path input = run.inbox().resolve("binary.txt");
                Files.write(input, new byte[] {0, 1, 2, 3, 0, 0, 7});
                Runnable release = pinned(input, run.inbox());
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> intake(service).state() == IntakeStatus.State.STOPPED);
                    await().atMost(Duration.ofSeconds(30)).until(() -> context(service).getRouteController()
                            .getRouteStatus("inbox-files") == ServiceStatus.Stopped);
                    assertThat(intake(service).cause()).contains("binary.txt").contains("could not be moved to")
                            .contains(".rejected");
                    assertThat(errorLines(logs)).singleElement().asString().contains("binary.txt").contains("inbox source is stopped");
                    assertThat(reasonFiles(run.inbox())).as("the input was rejected once").hasSize(1);
                    assertThat(run.waitingInputs()).containsExactly("binary.txt");
                } finally {
                    release.run();
                }
            } finally {
                service.stop();
            }
        }
    }

    /** A FILE where the report folder should be: the start says so in words, naming the setting. */
    @Test
    void aFileWhereTheReportFolderShouldBeStopsTheStartNamingTheSetting() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(0)).start();
             CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).input("groups.txt", ids(2));
            Files.writeString(run.reports(), "not a folder");
            run.run();
            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(errorLines(logs)).first().asString()
                    .contains("zapi.report-dir (ZAPI_REPORT_DIR) " + run.reports().toAbsolutePath() + " cannot be used: a file of that name is in the way");
            assertThat(zapi.requestCount()).isZero();
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
        }
    }

    /**
     * Makes the input impossible to move out of the inbox while it can still be read and the reason can
     * still be written into .rejected/: immutable for root (who ignores permissions), else a read-only inbox.
     * Returns what undoes it.
     */
    private static Runnable pinned(Path input, Path inbox) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            Process chattr = new ProcessBuilder("chattr", "+i", input.toString()).redirectErrorStream(true).start();
            boolean immutable = chattr.waitFor() == 0;
            assumeTrue(immutable || !"true".equals(System.getenv("CI")), "chattr +i is not allowed here");
            assumeTrue(immutable, "skipped: running as root and chattr +i is not allowed, so nothing keeps the file from moving");
            return () -> {
                try {
                    new ProcessBuilder("chattr", "-i", input.toString()).start().waitFor();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
        }
        Files.setPosixFilePermissions(inbox, PosixFilePermissions.fromString("r-xr-xr-x"));
        return () -> {
            try {
                Files.setPosixFilePermissions(inbox, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static CamelContext context(ServiceRun service) {
        return service.app().camelContext();
    }

    private static IntakeStatus intake(ServiceRun service) {
        Intake intake = context(service).getRegistry().lookupByNameAndType("intake", Intake.class);
        return intake == null ? null : intake.source("inbox").status();
    }

    private static List<String> errorLines(CapturedLogs logs) {
        return logs.text().lines().filter(line -> line.startsWith("ERROR")).toList();
    }

    private static List<Path> reasonFiles(Path inbox) throws IOException {
        try (Stream<Path> files = Files.list(inbox.resolve(".rejected"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".reason.txt")).toList();
        }
    }
}

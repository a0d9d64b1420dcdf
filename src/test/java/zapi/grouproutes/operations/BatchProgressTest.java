package zapi.grouproutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;

/** routes/operations/batch-progress: a batch longer than zapi.progress-interval logs where it is. */
class BatchProgressTest {

    static final String INSTANCE = "inst-progress";
    static final String TOKEN = "PrOgReSsToKeN1a2b3c";
    static final String CLIENT_TOKEN = "PrOgReSsClIeNt4d5e6f";

    @TempDir
    Path dir;

    @Test
    void aLongBatchLogsAProgressLinePerIntervalWithItsCountsAndNoEtaWhileItsSizeIsUnknown() throws Exception {
        String list = IntStream.rangeClosed(1, 30).mapToObj(i -> String.format("1203630195026%05d-group", i))
                .collect(Collectors.joining("\n")) + "\n5511988887777\n";
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs()) {
            // 60 requests at 15 per second: about 4 s, several intervals of 500 ms
            BatchRun run = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN)
                    .with("zapi.rate.requests-per-second", "15").with("zapi.progress-interval", "500ms")
                    .input("groups.txt", list).run();

            assertThat(run.exitCode()).isZero();
            List<String> progress = logs.text().lines().filter(l -> l.contains("Batch groups.txt progress: ")).toList();
            assertThat(progress).hasSizeGreaterThanOrEqualTo(2);
            assertThat(progress).allSatisfy(line -> assertThat(line).matches(
                    ".*Batch groups.txt progress: \\d+ / \\d+ groups \\(\\d+%\\), \\d+\\.\\d groups/s, OK \\d+, PARTIAL 0, FAILED 0, REJECTED [01], ETA .+"));
            assertThat(logs.text()).contains("Batch groups.txt done: 31 groups");
            assertThat(logs.text()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
    }

    @Test
    void aPlainNumberIsSecondsSoAShortBatchLogsNoProgressLine() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs()) {
            // read as 2 ms this would log dozens of lines; it is 2 s, and the run is over before the first tick
            BatchRun run = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.progress-interval", "2")
                    .input("groups.txt", "120363019502650977-group\n").run();

            assertThat(run.exitCode()).isZero();
            assertThat(logs.text()).contains("Batch groups.txt done: 1 groups").doesNotContain("progress:");
        }
    }
}

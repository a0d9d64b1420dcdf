package zapi.grouproutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.Results;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;

/** routes/operations/batch-progress: a batch longer than zapi.progress-interval logs where it is. */
class BatchProgressTest {

    static final String INSTANCE = "inst-progress";
    static final String TOKEN = "PrOgReSsToKeN1a2b3c";
    static final String CLIENT_TOKEN = "PrOgReSsClIeNt4d5e6f";

    @TempDir
    Path dir;

    @Test
    void aLongBatchLogsAProgressLinePerIntervalWithItsCountsItsSizeAndAnEta() throws Exception {
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
            // the inbox counts a file's entries before its batch begins: the size is known, so each line has it
            // and, once a group is done, an ETA (a duration; "?" only before the first group)
            assertThat(progress).allSatisfy(line -> assertThat(line).matches(
                    ".*Batch groups.txt progress: \\d+ / 31 groups \\(\\d+%\\), \\d+\\.\\d groups/s, OK \\d+, PARTIAL 0, FAILED 0, REJECTED [01], ETA .+"));
            assertThat(progress).filteredOn(line -> !line.contains("progress: 0 /"))
                    .isNotEmpty().allSatisfy(line -> assertThat(line).matches(".*, ETA (\\d+s|\\d+m\\d\\ds|\\d+h\\d\\dm)"));
            assertThat(logs.text()).contains("Batch groups.txt done: 31 groups");
            assertThat(logs.text()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
    }

    /**
     * Every source the routes have today (inbox file, schedule tick) counts its entries before its batch begins;
     * a batch without a count (how Batches.begin takes a source that cannot count first) gets lines with
     * {@code ? groups} and {@code ETA ?} from the running route's timer, never a made-up total or ETA.
     */
    @Test
    void aBatchOfUnknownSizeGetsProgressLinesWithoutATotalOrAnEta() throws Exception {
        try (ZapiSimulator simulator = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
                CapturedLogs logs = new CapturedLogs()) {
            ServiceRun service = new BatchRun(dir).against(simulator, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.sinks", "csv")
                    .with("zapi.progress-interval", "200ms").startAsService();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> service.app().camelContext() != null
                        && service.app().camelContext().getRegistry().lookupByNameAndType("batches", Batches.class) != null
                        && service.app().camelContext().isStarted());
                Batches batches = service.app().camelContext().getRegistry().lookupByNameAndType("batches", Batches.class);
                Batch batch = batches.begin("stream", "stream", null);
                for (int i = 0; i < 3; i++) {
                    batches.delivered(Results.failed("12036301950265" + i + "-group", "x", "y", Instant.now()), batch);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> logs.text().contains("Batch stream progress: 3 / "));
                batches.abandon(batch);
                List<String> progress = logs.text().lines().filter(l -> l.contains("Batch stream progress: ")).toList();
                assertThat(progress).isNotEmpty().allSatisfy(line -> assertThat(line).matches(
                        ".*Batch stream progress: \\d / \\? groups, \\d+\\.\\d groups/s, OK 0, PARTIAL 0, FAILED \\d, REJECTED 0, ETA \\?"));
            } finally {
                assertThat(service.stop()).isZero();
            }
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

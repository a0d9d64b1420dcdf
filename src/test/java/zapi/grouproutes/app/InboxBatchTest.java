package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.report.ReportColumns;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.GroupLists;

/** Batch mode through the real routes against the embedded simulator: what an operator sees. */
class InboxBatchTest {

    static final String INSTANCE = "inst-42";
    static final String TOKEN = "TkN-9f2c61d0e4-secret";
    static final String CLIENT_TOKEN = "CtK-7a13b9e055-secret";

    @TempDir
    Path dir;

    private static ZapiSimulator simulator(SimulatorOptions options) throws IOException {
        return new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, options).start();
    }

    @Test
    void everyDistinctEntryGetsExactlyOneRowWithItsOutcome() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults()); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).input("groups.txt", GroupLists.EVERY_OUTCOME).run();

            assertThat(run.exitCode()).isZero();
            assertThat(Files.readAllLines(run.report()).get(0)).isEqualTo(String.join(",", ReportColumns.GROUPS));
            Map<String, CSVRecord> rows = run.rowsByGroup();
            assertThat(rows).hasSize(7);
            assertThat(rows.get("120363019502650977-group").get("status")).isEqualTo("OK");
            assertThat(rows.get("5511999999999-1623281429").get("status")).isEqualTo("OK");
            assertThat(rows.get("120363019502650979-group").get("status")).isEqualTo("OK");
            CSVRecord missing = rows.get("120363019502650404-group");
            assertThat(missing.get("status")).isEqualTo("FAILED");
            assertThat(missing.get("error_code")).isEqualTo("404");
            assertThat(missing.get("error_message")).contains("Group not found");
            CSVRecord partial = rows.get("120363019502650500-group");
            assertThat(partial.get("status")).isEqualTo("PARTIAL");
            assertThat(partial.get("invitation_link")).startsWith("https://chat.whatsapp.com/");
            assertThat(partial.get("error_code")).isEqualTo("500");
            assertThat(rows.get("5511988887777").get("status")).isEqualTo("REJECTED");
            assertThat(rows.get("5511988887777").get("error_message")).contains("line 8").contains("contact");
            assertThat(rows.get("120363019502650977-group/../../status").get("status")).isEqualTo("REJECTED");
            assertThat(rows.get("120363019502650977-group/../../status").get("fetched_at")).isEmpty();

            CSVRecord ok = rows.get("120363019502650977-group");
            assertThat(ok.get("invitation_link")).matches("https://chat\\.whatsapp\\.com/[A-Za-z0-9_-]{22}");
            assertThat(ok.get("subject")).isNotEmpty();
            assertThat(ok.get("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(ok.get("subject_time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(ok.get("fetched_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(ok.get("admins_count")).isEqualTo("2");
            assertThat(ok.get("error_code")).isEmpty();

            List<CSVRecord> participants = BatchRun.rows(run.participantsReport());
            Map<String, Long> perGroup = participants.stream().collect(Collectors.groupingBy(r -> r.get("group_id"), Collectors.counting()));
            assertThat(perGroup).containsOnlyKeys("120363019502650977-group", "5511999999999-1623281429", "120363019502650979-group");
            assertThat(perGroup.get("120363019502650977-group")).isEqualTo(Long.parseLong(ok.get("participants_count")));
            assertThat(participants).allSatisfy(p -> assertThat(p.get("is_admin")).isIn("true", "false"));

            assertThat(Files.readString(run.report())).contains("\r\n");
            assertThat(run.waitingInputs()).isEmpty();
            assertThat(run.doneInputs()).singleElement().asString().startsWith("groups-").endsWith(".txt");
            assertThat(run.reportFiles()).noneMatch(n -> n.endsWith(".part"));
            assertThat(logs.text()).containsPattern("Batch groups\\.txt done: 7 groups \\(OK 3, PARTIAL 1, FAILED 1, REJECTED 2\\) in [0-9.]+ s; report .*groups-\\d{8}T\\d{6}Z\\.csv");
        }
    }

    /**
     * A file where the report folder should be used to let the run start and every batch fail to begin; the
     * start now refuses it, naming the setting (issue 24; InboxFolderEdgesTest), before any input is taken.
     */
    @Test
    void aBatchThatCannotBeginStopsTheRunAndSaysWhy() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults()); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).input("groups.txt", ids(3));
            // the CSV sink could not open the batch's report: a file stands where the report folder should be
            Files.writeString(dir.resolve("reports"), "not a folder");

            run.run();

            // before: taken for a stream's message, the failure was rolled back in silence and the input polled
            // again and again, and a batch-mode run never ended; then: the batch stopped at its begin (exit 2)
            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("cannot start: zapi.report-dir (ZAPI_REPORT_DIR)");
            assertThat(run.inbox().resolve("groups.txt")).exists();
            assertThat(zapi.requestCount()).isZero();
        }
    }

    @Test
    void aServerThatOnlyAcceptsGetGetsAllLinksAfterOneFallback() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults().withLinkMethods("GET")); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).input("groups.txt", ids(20)).run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).hasSize(20).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("OK"));
            assertThat(logs.text().lines().filter(l -> l.contains("accepted GET"))).hasSize(1);
            // at most one 405 per worker that raced the switch, then GET only
            assertThat(zapi.requestCount()).isLessThanOrEqualTo(40 + 4);
        }
    }

    @Test
    void aServerThatOnlyAcceptsPostNeverSeesAGet() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults().withLinkMethods("POST")); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).input("groups.txt", ids(20)).run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).hasSize(20).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("OK"));
            assertThat(logs.text()).doesNotContain("HTTP 405");
            assertThat(zapi.requestCount()).isEqualTo(40);
        }
    }

    @Test
    void aCsvListWithAGroupIdColumn() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN)
                    .input("export.csv", "\uFEFFname,groupId\r\n\"Vendas, SP\",120363019502650977-group\r\nSem id,\r\n").run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).extracting(r -> r.get("status")).containsExactlyInAnyOrder("OK", "REJECTED");
            assertThat(run.report().getFileName().toString()).startsWith("export-");
        }
    }

    @Test
    void aProxyThatWantsExplicitContentHeadersIsSatisfiedOnce() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults().withRequireAccept(true)); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).input("groups.txt", ids(10)).run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("OK"));
            // the one WARN, not any line whose timestamp or report name happens to hold "415"
            assertThat(logs.text().lines().filter(l -> l.contains("answered 415"))).hasSize(1);
        }
    }

    @Test
    void aRejectedClientTokenStopsTheRunEarlyAndKeepsTheInput() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults()); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, "not-the-client-token")
                    .input("groups.txt", ids(500)).run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(run.reportFiles()).isEmpty();
            assertThat(zapi.requestCount()).isLessThan(20);
            List<String> errors = logs.text().lines().filter(l -> l.startsWith("ERROR")).toList();
            assertThat(errors).first().asString().contains("Batch groups.txt stopped: Client-Token or instance token rejected (HTTP 403");
            assertThat(logs.text()).contains("batch mode run").doesNotContain("Exception:");
        }
    }

    @Test
    void aServerRefusingBothMethodsStopsTheRunEarly() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults().withLinkMethods()); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).input("groups.txt", ids(500)).run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(run.reportFiles()).isEmpty();
            assertThat(zapi.requestCount()).isLessThan(30);
            assertThat(logs.text()).contains("stopped: Z-API refused both POST and GET (HTTP 405)");
        }
    }

    @Test
    void aMissingClientTokenThatPersistsStopsTheRun() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults()); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, "").input("groups.txt", ids(200)).run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(logs.text()).contains("stopped: Client-Token rejected: Z-API answered 'your client-token is not configured'");
        }
    }

    @Test
    void flakyServerErrorsAndClientTokenHiccupsAreRetriedToSuccess() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults().withFailureRate(0.2).withClientTokenFlakiness(0.05))) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN)
                    .with("zapi.retry.max-redeliveries", "8").input("groups.txt", ids(40)).run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).hasSize(40).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("OK"));
            assertThat(zapi.requestCount()).isGreaterThan(80);
        }
    }

    @Test
    void aRateLimitedServerIsWaitedOut() throws IOException {
        // a bucket of one token refilled 10 times a second against a client sending 30 a second: any two
        // requests less than 100 ms apart meet a 429, so the batch cannot get through without some
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults().withRequestsPerSecond(10).withBurst(1))) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN)
                    // retries enough that no group runs out of them on a loaded machine, whose stalls bunch requests up
                    .with("zapi.retry.max-redeliveries", "30").with("zapi.retry.max-delay-ms", "1000")
                    .with("zapi.rate.requests-per-second", "30")
                    .input("groups.txt", ids(15)).run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).hasSize(15).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("OK"));
            assertThat(zapi.rateLimitedCount()).as("requests answered 429").isPositive();
            // each 429 was sent again, and nothing else was: two answered requests per group
            assertThat(zapi.requestCount() - zapi.rateLimitedCount()).as("requests not answered 429").isEqualTo(2 * 15);
        }
    }

    @Test
    void anUnreachableApiStopsTheBatchInsteadOfGrindingThroughIt() throws IOException {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against("http://127.0.0.1:9", INSTANCE, TOKEN, CLIENT_TOKEN)
                    .with("zapi.retry.max-redeliveries", "1").with("zapi.outage.groups-in-a-row", "3")
                    .input("groups.txt", ids(300)).run();
            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(logs.text()).contains("stopped: Z-API unreachable: ").contains("connection refused");
        }
    }

    @Test
    void severalFilesAreSeveralBatches() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN)
                    .input("a.txt", ids(3)).input("b.txt", ids(5)).input("ignored.json", "{}").run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportFiles()).hasSize(4).anyMatch(n -> n.startsWith("a-")).anyMatch(n -> n.startsWith("b-"));
            assertThat(run.waitingInputs()).containsExactly("ignored.json");
            assertThat(run.doneInputs()).hasSize(2);
        }
    }

    /**
     * The run learns the inbox is drained by polling again at once after its last batch, not after the poll
     * delay: with a delay of an hour it still ends within BatchRun's timeout, both files done.
     */
    @Test
    void aDrainedInboxEndsTheRunWithoutWaitingForTheNextPoll() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults()); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.inbox.poll-delay-ms", "3600000")
                    .input("a.txt", ids(3)).input("b.txt", ids(5));
            // older than the minimum age: the first poll takes both, so only the poll after them could wait
            for (String name : List.of("a.txt", "b.txt")) {
                Files.setLastModifiedTime(run.inbox().resolve(name), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            }

            run.run();

            assertThat(run.exitCode()).isZero();
            assertThat(run.waitingInputs()).isEmpty();
            assertThat(run.doneInputs()).hasSize(2);
            assertThat(logs.text()).contains("Batch a.txt done: 3 groups").contains("Batch b.txt done: 5 groups").contains("Inbox drained");
        }
    }

    @Test
    void anEmptyInboxEndsABatchRunAtOnce() throws IOException {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            Files.createDirectories(dir.resolve("inbox"));
            BatchRun run = new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportFiles()).isEmpty();
        }
    }

    @Test
    void demoModeRunsOnlyWhenAskedAndKeepsToItsOwnFolder() throws IOException {
        Path demo = dir.resolve("demo");
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).with("zapi.demo", "true").with("zapi.demo.dir", demo.toString()).run();
            assertThat(run.exitCode()).isZero();
            assertThat(logs.text()).contains("DEMO MODE");
            Path report;
            try (var files = Files.list(demo.resolve("reports"))) {
                report = files.filter(p -> p.getFileName().toString().matches("sample-groups-.*Z\\.csv")).findFirst().orElseThrow();
            }
            assertThat(BatchRun.rows(report)).extracting(r -> r.get("status")).contains("OK", "PARTIAL", "FAILED", "REJECTED");
            assertThat(demo.resolve("zapi-groups.mv.db")).exists();
        }
        // the configured inbox, report folder and database were not touched
        assertThat(dir.resolve("inbox")).doesNotExist();
        assertThat(dir.resolve("reports")).doesNotExist();
        assertThat(dir.resolve("db")).doesNotExist();
    }

    @Test
    void missingCredentialsWithoutTheDemoSwitchStopTheRunBeforeAnythingIsWritten() throws IOException {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).with("zapi.token", "set-but-no-instance").run();
            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("zapi-group-routes cannot start: ZAPI_INSTANCE_ID is not set")
                    .contains("ZAPI_DEMO=true").doesNotContain("DEMO MODE").doesNotContain("set-but-no-instance");
        }
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(new BatchRun(dir).run().exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text()).contains("ZAPI_INSTANCE_ID and ZAPI_TOKEN are not set");
        }
        assertThat(dir.resolve("inbox")).doesNotExist();
        assertThat(dir.resolve("reports")).doesNotExist();
        assertThat(dir.resolve("db")).doesNotExist();
    }

    static String ids(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("1203630195%08d-group", i * 7 + 1))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}

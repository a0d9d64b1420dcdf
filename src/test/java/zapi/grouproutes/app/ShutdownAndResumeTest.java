package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * A graceful stop (what SIGTERM does: Camel's hook calls the same completed()) in the middle of a batch
 * loses nothing, and the next run of the same input resumes instead of starting over. Startup cleans up
 * what a killed process left behind.
 */
class ShutdownAndResumeTest {

    static final String INSTANCE = "inst-stop";
    static final String TOKEN = "TkN-stop-5e3c2a90";
    static final String CLIENT_TOKEN = "CtK-stop-0b1d44e7";
    static final int GROUPS = 2_000;

    @TempDir
    Path dir;

    /** Services this test started: stopped after it whatever happened, so none keeps running into the next test. */
    private final java.util.List<ServiceRun> services = new java.util.ArrayList<>();

    private ServiceRun started(ServiceRun service) {
        services.add(service);
        return service;
    }

    @org.junit.jupiter.api.AfterEach
    void stopServices() throws Exception {
        for (ServiceRun service : services) {
            if (!service.exit().isDone()) {
                service.stop();
            }
        }
    }

    private BatchRun run(ZapiSimulator zapi) {
        return new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.concurrency", "8")
                .with("zapi.rate.requests-per-second", "100000");
    }

    @Test
    void aStopDuringABatchWritesWhatIsInFlightKeepsTheInputAndTheRestartResumes() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(5)).start();
             TestDatabase db = TestDatabase.h2(dir.resolve("db"));
             CapturedLogs logs = new CapturedLogs()) {
            BatchRun first = run(zapi);
            ServiceRun service = started(first.startAsService());
            first.input("groups.txt", InboxBatchTest.ids(GROUPS));
            await().atMost(Duration.ofSeconds(60)).until(() -> zapi.requestCount() >= 600);

            assertThat(service.stop()).as("a clean exit").isZero();
            int requestsOfTheStoppedRun = zapi.requestCount();

            assertThat(first.waitingInputs()).containsExactly("groups.txt");
            assertThat(first.reportFiles()).as("no report, not even a part file").noneMatch(n -> n.contains("groups"));
            Map<String, Object> stopped = db.row("SELECT * FROM zapi_enrichment_run");
            assertThat(stopped.get("status")).isEqualTo("INCOMPLETE");
            assertThat(stopped.get("stop_reason")).isEqualTo("shutdown");
            long done = ((Number) stopped.get("ok_count")).longValue();
            assertThat(done).as("stopped well before the end").isBetween(250L, GROUPS - 500L);
            // every group taken before the stop finished and reached the database, and was counted
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group WHERE last_run_id = ?", stopped.get("run_id"))).isEqualTo(done);
            assertThat(logs.text()).contains("Batch groups.txt interrupted by shutdown after " + done + " groups")
                    .doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);

            BatchRun second = run(zapi).run();
            assertThat(second.exitCode()).isZero();
            int requestsOfTheRestart = zapi.requestCount() - requestsOfTheStoppedRun;
            Map<String, CSVRecord> rows = second.rowsByGroup();
            assertThat(rows).hasSize(GROUPS);
            // the same outcomes as a run that was never stopped (the simulator fails IDs ending in 404 and 500)
            BatchRun full = new BatchRun(dir.resolve("full")).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with("zapi.concurrency", "8")
                    .with("zapi.rate.requests-per-second", "100000").input("groups.txt", InboxBatchTest.ids(GROUPS));
            int beforeFull = zapi.requestCount();
            assertThat(full.run().exitCode()).isZero();
            int requestsOfAFullRun = zapi.requestCount() - beforeFull;
            Map<String, CSVRecord> fullRows = full.rowsByGroup();
            assertThat(rows.keySet()).isEqualTo(fullRows.keySet());
            rows.forEach((group, row) -> {
                assertThat(row.get("status")).as(group).isEqualTo(fullRows.get(group).get("status"));
                assertThat(row.get("invitation_link")).as(group).isEqualTo(fullRows.get(group).get("invitation_link"));
                assertThat(row.get("subject")).as(group).isEqualTo(fullRows.get(group).get("subject"));
                assertThat(row.get("participants_count")).as(group).isEqualTo(fullRows.get(group).get("participants_count"));
                assertThat(row.get("admins_count")).as(group).isEqualTo(fullRows.get(group).get("admins_count"));
            });
            // two calls saved per group the stopped run fetched OK (a few either way: the loaded simulator drops a connection now and then)
            System.out.printf("Resume: full run %d Z-API requests, resumed run %d (%d groups reused)%n", requestsOfAFullRun, requestsOfTheRestart, done);
            assertThat(requestsOfTheRestart).as("the restart fetches only what the stopped run did not")
                    .isCloseTo(requestsOfAFullRun - 2 * (int) done, org.assertj.core.data.Offset.offset(20));
            assertThat(BatchRun.rows(second.participantsReport())).extracting(r -> r.get("group_id")).hasSizeGreaterThan(GROUPS);
            assertThat(logs.text()).contains(done + " groups resumed from earlier runs (" + 2 * done + " Z-API calls saved)");
            assertThat(db.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'COMPLETED'")).isEqualTo(1);
            // each group once, each link once
            assertThat(db.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(rows.values().stream().filter(r -> !r.get("status").equals("REJECTED")).count());
            assertThat(db.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(rows.values().stream().filter(r -> !r.get("invitation_link").isEmpty()).count());
            assertThat(second.waitingInputs()).isEmpty();
        }
    }

    @Test
    void aStoppingBatchWaitsForItsGroupsInFlightAsLongAsTheShutdownTimeoutLets() {
        // before: a fixed 25 s, whatever camel.main.shutdown-timeout said (README: raise it for slow calls)
        assertThat(Batches.inFlightWait(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(25));
        assertThat(Batches.inFlightWait(Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(115));
        assertThat(Batches.inFlightWait(Duration.ofSeconds(12))).isEqualTo(Duration.ofSeconds(10));
        assertThat(Batches.inFlightWait(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aPublishedInputIsNotEnrichedAgainWhenItCannotBeMovedToDone() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
             CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = run(zapi).with("zapi.sinks", "csv");
            ServiceRun service = started(run.startAsService());
            try {
                // the .done folder turns into a file after startup (a broken mount, a careless script)
                Path done = run.inbox().resolve(".done");
                await().atMost(Duration.ofSeconds(20)).until(() -> service.app().camelContext() != null
                        && service.app().camelContext().isStarted());
                if (Files.isDirectory(done)) {
                    Files.delete(done);
                }
                Files.writeString(done, "not a folder");
                run.input("groups.txt", InboxBatchTest.ids(20));
                await().atMost(Duration.ofSeconds(20)).until(() -> run.reportFiles().stream().filter(n -> n.matches("groups-.*Z\\.csv")).count() == 1);
                int requests = zapi.requestCount();
                // several more polls: the file is still there, and is not enriched again
                Thread.sleep(1_500);
                assertThat(run.inbox().resolve("groups.txt")).exists();
                assertThat(zapi.requestCount()).isEqualTo(requests);
                assertThat(run.reportFiles().stream().filter(n -> n.matches("groups-.*Z\\.csv"))).hasSize(1);
            } finally {
                service.stop();
            }
            // and a new process knows it too (the ledger beside the reports)
            BatchRun again = run(zapi).with("zapi.sinks", "csv");
            Files.delete(again.inbox().resolve(".done"));
            int before = zapi.requestCount();
            assertThat(again.run().exitCode()).isZero();
            assertThat(zapi.requestCount()).isEqualTo(before);
            assertThat(again.reportFiles().stream().filter(n -> n.matches("groups-.*Z\\.csv"))).hasSize(1);
            // with .done usable again, startup moves the published input there instead of reading it
            assertThat(logs.text()).containsOnlyOnce("Startup clean-up: groups.txt was published by an earlier process");
            assertThat(again.inbox().resolve("groups.txt")).doesNotExist();
            assertThat(again.doneInputs()).hasSize(1);
        }
    }

    @Test
    void aRestartedContainerClosesTheRunsOfItsEarlierStartThoughItHasTheSamePid() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
             TestDatabase db = TestDatabase.postgres();
             CapturedLogs logs = new CapturedLogs()) {
            assertThat(run(zapi).with(db.settings()).input("first.txt", InboxBatchTest.ids(2)).run().exitCode()).isZero();
            // what a killed container leaves: a RUNNING run owned by this host and this very PID (PID 1 again
            // after the restart), with the start ID of the earlier start
            String owner = java.net.InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid() + "/0ldst4rt";
            try (var c = db.connect(); var s = c.prepareStatement("INSERT INTO zapi_enrichment_run (run_id, source, status, started_at, ok_count,"
                    + " partial_count, failed_count, rejected_count, input_key, owner) VALUES ('container-run', 'killed.txt', 'RUNNING',"
                    + " CURRENT_TIMESTAMP, 0, 0, 0, 0, 'k', ?)")) {
                s.setString(1, owner);
                s.executeUpdate();
            }

            assertThat(run(zapi).with(db.settings()).run().exitCode()).isZero();

            // before: the PID was alive (it is this process), so the row stayed RUNNING for ever
            assertThat(db.row("SELECT status FROM zapi_enrichment_run WHERE run_id = 'container-run'").get("status")).isEqualTo("INCOMPLETE");
            assertThat(logs.text()).contains("Run container-run was left RUNNING by a process that is gone; marked INCOMPLETE");
        }
    }

    @Test
    void startupFinishesWhatAKilledProcessLeftBehind() throws Exception {
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults()).start();
             TestDatabase db = TestDatabase.h2(dir.resolve("db"))) {
            BatchRun first = run(zapi).input("first.txt", InboxBatchTest.ids(3)).run();
            assertThat(first.exitCode()).isZero();
            Path report = first.report();
            // what a process killed at the commit point leaves: a completed run whose report is still a part file
            Path part = report.resolveSibling("." + report.getFileName() + ".part");
            Files.move(report, part);
            // what a process killed mid-batch leaves: a RUNNING run and the part file of its report
            try (var c = db.connect(); var s = c.createStatement()) {
                s.executeUpdate("INSERT INTO zapi_enrichment_run (run_id, source, status, started_at, ok_count, partial_count, failed_count,"
                        + " rejected_count, input_key, owner) VALUES ('dead-run', 'killed.txt', 'RUNNING', CURRENT_TIMESTAMP, 0, 0, 0, 0, 'k', 'h/1/x')");
            }
            Path stale = first.reports().resolve(".killed-20261123T000000Z.csv.part");
            Files.writeString(stale, "group_id\r\n");

            try (CapturedLogs logs = new CapturedLogs()) {
                assertThat(run(zapi).run().exitCode()).isZero();
                assertThat(logs.text()).contains("Run dead-run was left RUNNING by a process that is gone; marked INCOMPLETE")
                        .contains("1 report file(s) of completed batches renamed into place, 1 part file(s) of unfinished batches removed");
            }
            assertThat(report).exists();
            assertThat(part).doesNotExist();
            assertThat(stale).doesNotExist();
            assertThat(db.row("SELECT status, stop_reason FROM zapi_enrichment_run WHERE run_id = 'dead-run'").get("status")).isEqualTo("INCOMPLETE");
            List<String> files = first.reportFiles();
            assertThat(files).noneMatch(n -> n.endsWith(".part"));
        }
    }
}

package zapi.grouproutes.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.app.RunControl;
import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TcpProxy;
import zapi.grouproutes.support.TestDatabase;

/**
 * PostgreSQL goes away while a batch runs: the application reaches it through a relay that the test
 * cuts, which to the pool looks exactly like a server that stopped (connections dropped, new ones
 * refused). Nothing may be silently dropped: a short outage is waited out, a long one stops the batch
 * with the input kept for a re-run.
 */
class DatabaseOutageTest {

    static final String INSTANCE = "inst-outage";
    static final String TOKEN = "TkN-outage-51f0a2-secret";
    static final String CLIENT_TOKEN = "CtK-outage-0c88e1-secret";
    static final int GROUPS = 300;
    static final String DB_PASSWORD = "Db-pw-never-logged-4471";

    @TempDir
    Path dir;

    /** Services this test started: stopped after it whatever happened, so none keeps running into the next test. */
    private final java.util.List<ServiceRun> services = new java.util.ArrayList<>();

    private ServiceRun started(ServiceRun service) {
        services.add(service);
        return service;
    }

    private void stopServices() throws Exception {
        for (ServiceRun service : services) {
            if (!service.exit().isDone()) {
                service.stop();
            }
        }
    }
    private TestDatabase database;
    private TcpProxy relay;
    private ZapiSimulator zapi;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabase.postgres();
        relay = new TcpProxy("127.0.0.1", 5432);
        // ~100 groups/s: a batch of 300 lasts long enough to lose its database in the middle
        zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(10)).start();
    }

    @AfterEach
    void stop() throws Exception {
        // the services first, while what they use is still there
        stopServices();
        zapi.close();
        relay.close();
        database.close();
    }

    /** A run that reaches PostgreSQL through the relay, with the list of {@link #GROUPS} groups in its inbox. */
    private BatchRun batch(String name) throws Exception {
        return throughTheRelay(name).input("groups.txt", ids());
    }

    private BatchRun throughTheRelay(String name) {
        return new BatchRun(dir.resolve(name)).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .with("zapi.db.url", database.url().replace(":5432/", ":" + relay.port() + "/"))
                // trust auth ignores it; it is here to prove it never reaches a log line
                .with("zapi.db.password", DB_PASSWORD)
                .with("zapi.db.connect-timeout-ms", "300")
                // the sink's own outage handling: with the budget in the same database (cluster, the default on
                // PostgreSQL) no permit is handed out while it is away, and no result would reach the sink to be
                // retried; that side is ClusterBudgetTest's
                .with("zapi.rate.scope", "instance");
    }

    /** Starts the batch and cuts the database once the first tenth of the groups is written. */
    private CompletableFuture<BatchRun> runAndCutTheDatabaseMidway(BatchRun run) throws Exception {
        CompletableFuture<BatchRun> running = CompletableFuture.supplyAsync(run::run);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> database.count("SELECT COUNT(*) FROM zapi_group") >= 30);
        relay.cut();
        return running;
    }

    @Test
    void aShortOutageIsWaitedOutAndEveryResultIsWritten() throws Exception {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch("run").with("zapi.db.retry.max-redeliveries", "20").with("zapi.db.retry.initial-delay-ms", "100")
                    .with("zapi.db.retry.max-delay-ms", "400");
            CompletableFuture<BatchRun> running = runAndCutTheDatabaseMidway(run);
            TimeUnit.MILLISECONDS.sleep(2500);
            long duringOutage = database.count("SELECT COUNT(*) FROM zapi_group");
            assertThat(duringOutage).isLessThan(GROUPS);
            relay.restore();

            assertThat(running.get(90, TimeUnit.SECONDS).exitCode()).isZero();
            assertThat(run.reportRows()).hasSize(GROUPS);
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group WHERE last_status = 'OK'")).isEqualTo(GROUPS);
            assertThat(database.count("SELECT COUNT(*) FROM zapi_invitation_link")).isEqualTo(GROUPS);
            assertThat(database.row("SELECT status, ok_count FROM zapi_enrichment_run")).containsEntry("status", "COMPLETED")
                    .containsEntry("ok_count", (long) GROUPS);
            assertThat(logs.text()).contains("unavailable").contains("retrying the result of group").contains("the batch waits")
                    .doesNotContain(DB_PASSWORD).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        }
    }

    @Test
    void anOutageThatOutlastsTheRetriesStopsTheBatchAsIncompleteAndKeepsTheInput() throws Exception {
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch("run").with("zapi.db.retry.max-redeliveries", "3").with("zapi.db.retry.initial-delay-ms", "100")
                    .with("zapi.db.retry.max-delay-ms", "200");
            CompletableFuture<BatchRun> running = runAndCutTheDatabaseMidway(run);

            assertThat(running.get(90, TimeUnit.SECONDS).exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(run.reportFiles()).as("no report, not even a half-written one").isEmpty();
            assertThat(logs.text()).containsPattern("ERROR FileBatch - Batch groups.txt stopped: database jdbc:postgresql://127.0.0.1:"
                    + relay.port() + "/test unavailable \\(.+\\)\\. The input stays in the inbox for a re-run\\.")
                    .contains("retrying the result of group").doesNotContain(DB_PASSWORD);
            long writtenBeforeTheStop = database.count("SELECT COUNT(*) FROM zapi_group");
            assertThat(writtenBeforeTheStop).isLessThan(GROUPS);
            // the run could not even be marked: it says RUNNING without an end, and the log says why
            assertThat(database.row("SELECT status, finished_at FROM zapi_enrichment_run")).containsEntry("status", "RUNNING")
                    .containsEntry("finished_at", null);
            assertThat(logs.text()).contains("is left as RUNNING in zapi_enrichment_run");
        }

        // the database is back: the kept input is re-run and nothing is missing
        relay.restore();
        Path inbox = dir.resolve("run").resolve("inbox");
        BatchRun rerun = new BatchRun(dir.resolve("rerun")).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN).with(database.settings())
                .input("groups.txt", Files.readString(inbox.resolve("groups.txt"))).run();
        assertThat(rerun.exitCode()).isZero();
        assertThat(database.count("SELECT COUNT(*) FROM zapi_group WHERE last_status = 'OK'")).isEqualTo(GROUPS);
        assertThat(database.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'COMPLETED'")).isEqualTo(1);
    }

    @Test
    void aDatabaseThatFailsAtTheBatchsEndPublishesNothingAndKeepsTheInput() throws Exception {
        // the schema as the application makes it, plus a server that refuses the run's completion the
        // way a server going down does (SQLState 57P01)
        Database.open(new DatabaseSettings(database.url(), database.user(), null, 2, Duration.ofSeconds(5))).close();
        try (var c = database.connect(); var s = c.createStatement()) {
            s.execute("CREATE FUNCTION refuse_completion() RETURNS trigger AS $$ BEGIN IF NEW.status = 'COMPLETED' THEN"
                    + " RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = '57P01'; END IF;"
                    + " RETURN NEW; END $$ LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER refuse_completion BEFORE UPDATE ON zapi_enrichment_run FOR EACH ROW EXECUTE FUNCTION refuse_completion()");
        }
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch("run").with("zapi.db.retry.max-redeliveries", "2").with("zapi.db.retry.initial-delay-ms", "50").run();

            assertThat(run.exitCode()).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(run.reportFiles()).as("the report is published only after the run is recorded").isEmpty();
            assertThat(logs.text()).contains("retrying the run record of batch groups.txt").contains("Batch groups.txt stopped: database");
            // every result was written; the run says it did not complete, and why
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(GROUPS);
            Map<String, Object> runRow = database.row("SELECT status, stop_reason FROM zapi_enrichment_run");
            assertThat(runRow).containsEntry("status", "INCOMPLETE");
            assertThat((String) runRow.get("stop_reason")).contains("unavailable").contains("57P01");
        }
    }

    @Test
    void aDatabaseThatIsDownAtStartupStopsTheRunBeforeAnyZapiCall() throws Exception {
        relay.cut();
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = batch("run").run();
            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(zapi.requestCount()).isZero();
            assertThat(logs.text()).contains("zapi-group-routes cannot start: Database jdbc:postgresql://127.0.0.1:" + relay.port() + "/test is unreachable")
                    .doesNotContain(DB_PASSWORD);
        }
    }

    @Test
    void aServiceWaitsForADatabaseThatIsNotUpYetInsteadOfExiting() throws Exception {
        relay.cut();
        BatchRun run = throughTheRelay("service");
        Path inbox = run.inbox();
        try (CapturedLogs logs = new CapturedLogs()) {
            ServiceRun service = started(run.startAsService());
            await().atMost(Duration.ofSeconds(20)).until(() -> logs.text().contains("waiting up to 300 s for it before starting"));
            TimeUnit.SECONDS.sleep(2);
            assertThat(service.exit()).as("still waiting, not exited").isNotDone();
            relay.restore();

            Files.writeString(inbox.resolve("groups.txt"), "120363000000000001-group\n");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> database.count("SELECT COUNT(*) FROM zapi_enrichment_run WHERE status = 'COMPLETED'") == 1);
            assertThat(database.count("SELECT COUNT(*) FROM zapi_group")).isEqualTo(1);
            assertThat(service.stop()).isZero();
        }
    }

    @Test
    void aBatchRunThatCannotReadItsLedgerStopsInsteadOfCallingTheInboxDrained() throws Exception {
        BatchRun run = throughTheRelay("ledger").input("groups.txt", ids());
        // not read before the database is cut: its modification time lies ahead, so the inbox is not settled
        Path input = run.inbox().resolve("groups.txt");
        Files.setLastModifiedTime(input, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(600)));
        try (CapturedLogs logs = new CapturedLogs()) {
            ServiceRun batch = ServiceRun.start(run.settings());
            await().atMost(Duration.ofSeconds(60)).until(() -> batch.exit().isDone()
                    || batch.app().camelContext() != null && batch.app().camelContext().isStarted());
            relay.cut();
            // a poll has asked the ledger about the (still young) file since: the pool found its connections dead,
            // or (a poll that came within the pool's validation window used its connection as it was) the read
            // failed outright and the run already ended; either way the ledger could not be read
            await().atMost(Duration.ofSeconds(60)).until(() -> logs.text().contains("Failed to validate connection") || batch.exit().isDone());
            Files.setLastModifiedTime(input, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));

            int exit = batch.exit().get(60, TimeUnit.SECONDS);

            // before: the ledger's "cannot tell" was taken for "published", the file skipped, and the run exited 0
            assertThat(exit).isEqualTo(RunControl.EXIT_BATCH_STOPPED);
            assertThat(run.waitingInputs()).containsExactly("groups.txt");
            assertThat(zapi.requestCount()).isZero();
            assertThat(logs.text()).contains("Source inbox stopped: UnreadableLedgerException: the inbox cannot tell which inputs were published already")
                    .doesNotContain("Inbox drained").doesNotContain(DB_PASSWORD).doesNotContain(TOKEN);
        }
    }

    static String ids() {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < GROUPS; i++) {
            list.append(String.format("120363%012d1-group%n", i));
        }
        return list.toString();
    }
}

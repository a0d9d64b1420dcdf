package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static zapi.grouproutes.app.InboxBatchTest.CLIENT_TOKEN;
import static zapi.grouproutes.app.InboxBatchTest.INSTANCE;
import static zapi.grouproutes.app.InboxBatchTest.TOKEN;
import static zapi.grouproutes.app.InboxBatchTest.ids;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.CapturedLogs;
import zapi.grouproutes.support.ServiceRun;

/** Issue 9, section 2: a file is read whole, once; what is not a readable list goes to .rejected/ and nothing of it is sent. */
class InboxIntakeTest {

    @TempDir
    Path dir;

    private static ZapiSimulator simulator() throws IOException {
        return new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN, SimulatorOptions.defaults().withLatencyMillis(0)).start();
    }

    private BatchRun run(ZapiSimulator zapi) {
        return new BatchRun(dir).against(zapi, INSTANCE, TOKEN, CLIENT_TOKEN);
    }

    @Test
    void malformedFilesGoToRejectedWithTheirReasonAndNothingOfThemIsSent() throws IOException {
        try (ZapiSimulator zapi = simulator(); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = run(zapi)
                    .input("quote.csv", "group_id\n120363019502650977-group\n\"120363019502650978-group\n120363019502650979-group\n")
                    .input("noid.csv", "name,owner\nVendas,Ana\nSuporte,Rui\n")
                    .input("empty.txt", "")
                    .input("good.txt", ids(2));
            bytes(run, "binary.txt", new byte[] {'1', '2', '\n', (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
            bytes(run, "utf16.csv", "group_id\n120363019502650977-group\n".getBytes(StandardCharsets.UTF_16));
            bytes(run, "latin1.txt", "120363019502650977-group\n120363019502650978-group # S\u00e3o Paulo\n".getBytes(StandardCharsets.ISO_8859_1));
            run.run();

            assertThat(run.exitCode()).isZero();
            assertThat(run.waitingInputs()).isEmpty();
            assertThat(run.doneInputs()).singleElement().asString().startsWith("good-");
            // only the good file's two groups reached Z-API: two calls each
            assertThat(zapi.requestCount()).isEqualTo(4);
            assertThat(run.reportRows()).hasSize(2);

            Map<String, String> reasons = reasons(run);
            assertThat(reasons).containsOnlyKeys("quote.csv", "noid.csv", "empty.txt", "binary.txt", "utf16.csv", "latin1.txt");
            assertThat(reasons.get("quote.csv")).contains("never closed").contains("Where:      line 3");
            assertThat(reasons.get("noid.csv")).contains("no group ID column (its columns: name, owner)").contains("line 1");
            assertThat(reasons.get("empty.txt")).contains("empty (0 bytes)");
            assertThat(reasons.get("binary.txt")).contains("binary data").contains("line 2");
            assertThat(reasons.get("utf16.csv")).contains("UTF-16");
            assertThat(reasons.get("latin1.txt")).contains("not UTF-8").contains("line 2");
            assertThat(reasons.values()).allSatisfy(r -> assertThat(r).contains("What to do: ").contains("Nothing from this file was sent"));

            List<String> warnings = logs.text().lines().filter(l -> l.startsWith("WARN") && l.contains(" rejected: ")).toList();
            assertThat(warnings).hasSize(6).allSatisfy(w -> assertThat(w).contains("Nothing was sent to Z-API").contains(".rejected/"));
        }
    }

    @Test
    void aSymbolicLinkIsNeverFollowed() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("elsewhere")).resolve("passwd");
        Files.writeString(outside, "120363019502650977-group\nroot:x:0:0:root:/root:/bin/bash\n");
        try (ZapiSimulator zapi = simulator(); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = run(zapi);
            Files.createDirectories(run.inbox());
            Files.createSymbolicLink(run.inbox().resolve("evil.txt"), outside);
            run.run();

            assertThat(run.exitCode()).isZero();
            assertThat(zapi.requestCount()).isZero();
            assertThat(run.reportFiles()).isEmpty();
            assertThat(reasons(run).get("evil.txt")).contains("symbolic link (to " + outside + ")");
            try (Stream<Path> rejected = Files.list(run.inbox().resolve(".rejected"))) {
                // the link itself moved, its target stayed where it was, untouched
                assertThat(rejected.filter(p -> !p.toString().endsWith(".reason.txt"))).singleElement().satisfies(p -> assertThat(Files.isSymbolicLink(p)).isTrue());
            }
            assertThat(Files.readString(outside)).contains("root:x:0:0");
            assertThat(logs.text()).doesNotContain("root:x:0:0");
        }
    }

    @Test
    void aFiftyMegabyteLineGivesOneShortRejectedRowAndTheRestIsEnriched() throws IOException {
        try (ZapiSimulator zapi = simulator()) {
            BatchRun run = run(zapi);
            Files.createDirectories(run.inbox());
            try (OutputStream out = Files.newOutputStream(run.inbox().resolve("big.txt"))) {
                out.write("120363019502650977-group\n".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 50; i++) {
                    out.write(chunk);
                }
                out.write("\n120363019502650978-group\n5511999999999-1623281429\n".getBytes(StandardCharsets.US_ASCII));
            }
            run.run();

            assertThat(run.exitCode()).isZero();
            assertThat(Files.size(run.report())).isLessThan(8 * 1024);
            List<CSVRecord> rows = run.reportRows();
            assertThat(rows).extracting(r -> r.get("status")).containsExactlyInAnyOrder("OK", "OK", "OK", "REJECTED");
            CSVRecord rejected = rows.stream().filter(r -> r.get("status").equals("REJECTED")).findFirst().orElseThrow();
            assertThat(rejected.get("error_message")).isEqualTo("line 2: the line is longer than 4096 characters");
            assertThat(rejected.get("group_id")).hasSizeLessThanOrEqualTo(210).endsWith("[cut]");
        }
    }

    @Test
    void csvAsUsersSaveItSemicolonsTabsLooseHeadersInvisibleCharactersNoHeader() throws IOException {
        try (ZapiSimulator zapi = simulator()) {
            BatchRun run = run(zapi)
                    // Excel in Portuguese: ';', a BOM, "ID do grupo", a value pasted with a no-break space and a zero-width space
                    .input("exportacao.csv", "\uFEFFNome;ID do grupo\r\n\"Vendas; SP\";\u00A0120363019502650977-group\u200B\r\n")
                    .input("tabs.csv", "Name\tGroup ID\nSuporte\t120363019502650978-group\n")
                    .input("bare.csv", "120363019502650979-group,Financeiro\n");
            run.run();

            assertThat(run.exitCode()).isZero();
            assertThat(run.reportFiles().stream().filter(n -> !n.endsWith("-participants.csv"))).hasSize(3);
            assertThat(run.doneInputs()).hasSize(3);
            assertThat(zapi.requestCount()).isEqualTo(6);
        }
    }

    @Test
    void aFileWhoseWriterPausesIsReadOnlyOnceItIsComplete() throws Exception {
        try (ZapiSimulator zapi = simulator()) {
            // a minimum age far beyond the writer's pause, so no stall of a busy machine lets the half-written
            // file come of age; the test ages the complete file itself (its modification time) instead of waiting
            BatchRun settings = run(zapi).with("zapi.inbox.min-file-age-ms", "60000");
            ServiceRun service = settings.startAsService();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> service.app().camelContext() != null
                        && service.app().camelContext().getRouteController().getRouteStatus("inbox-files") == ServiceStatus.Started);
                AtomicLong expected = new AtomicLong(-1);
                EventNotifierSupport entries = new EventNotifierSupport() {
                    @Override
                    public void notify(CamelEvent event) {
                        if (event instanceof CamelEvent.ExchangeCompletedEvent done && done.getExchange().getFromEndpoint() != null
                                && done.getExchange().getFromEndpoint().getEndpointUri().startsWith("file:")) {
                            Long count = done.getExchange().getProperty("zapiExpectedEntries", Long.class);
                            if (count != null) {
                                expected.set(count);
                            }
                        }
                    }
                };
                entries.start();
                service.app().camelContext().getManagementStrategy().addEventNotifier(entries);
                Path file = settings.inbox().resolve("slow.txt");
                String first = ids(2);
                String rest = InboxBatchTest.ids(20).substring(first.length());
                Files.writeString(file, first);
                // the writer's pause: longer than the first poll (1 s after the start), the old read lock's
                // 500 ms "size stopped changing" check and a 2-group batch; far shorter than the minimum age
                Thread.sleep(3000);
                assertThat(settings.doneInputs()).as("read while its writer paused").isEmpty();
                Files.writeString(file, rest, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                // the writer is done and a minute passes: the file is as old as the minimum age asks
                Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(61)));

                await().atMost(Duration.ofSeconds(30)).until(() -> settings.doneInputs().size() == 1);
                assertThat(settings.reportRows()).hasSize(20);
                // known before the batch began, for progress and an ETA
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(expected.get()).isEqualTo(20));
                assertThat(Files.readString(settings.inbox().resolve(".done").resolve(settings.doneInputs().get(0)))).isEqualTo(first + rest);
            } finally {
                service.stop();
            }
        }
    }

    @Test
    void aFileStillTooYoungDoesNotEndABatchRunAsDrained() throws IOException {
        try (ZapiSimulator zapi = simulator(); CapturedLogs logs = new CapturedLogs()) {
            // the file is younger than the minimum age for longer than the read lock waits in one poll
            BatchRun run = run(zapi).with("zapi.inbox.min-file-age-ms", "5000").input("fresh.txt", ids(3));
            run.run();

            assertThat(run.exitCode()).isZero();
            assertThat(run.waitingInputs()).isEmpty();
            assertThat(run.reportRows()).hasSize(3);
            assertThat(logs.text()).contains("Inbox: fresh.txt was modified").contains("it is read once it is 5000 ms old");
        }
    }

    @Test
    void temporaryNamesAreNeverRead() throws IOException {
        try (ZapiSimulator zapi = simulator()) {
            BatchRun run = run(zapi).input(".groups.txt", ids(2)).input("groups.csv.part", "group_id\n" + ids(2));
            run.run();

            assertThat(run.exitCode()).isZero();
            assertThat(zapi.requestCount()).isZero();
            assertThat(run.waitingInputs()).containsExactly(".groups.txt", "groups.csv.part");
        }
    }

    @Test
    void withTheDoneFileConventionAFileWaitsForItsMarker() throws IOException {
        try (ZapiSimulator zapi = simulator()) {
            BatchRun run = run(zapi).with("zapi.inbox.done-file-name", "${file:name}.ready")
                    .input("ready.txt", ids(2)).input("ready.txt.ready", "").input("unready.txt", ids(3));
            run.run();

            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).hasSize(2);
            // the marker goes with its file; the file without one waits
            assertThat(run.waitingInputs()).containsExactly("unready.txt");
        }
    }

    @Test
    void doneAndRejectedNamesCarryAUtcTimestamp() throws IOException {
        TimeZone local = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/Sao_Paulo"));
        try (ZapiSimulator zapi = simulator()) {
            BatchRun run = run(zapi).input("groups.txt", ids(1)).input("empty.csv", "");
            run.run();
            Instant now = Instant.now();

            assertThat(run.exitCode()).isZero();
            assertThat(stampOf(run.doneInputs().get(0), "groups", "txt")).isBetween(now.minusSeconds(120), now);
            try (Stream<Path> rejected = Files.list(run.inbox().resolve(".rejected"))) {
                assertThat(rejected.map(p -> p.getFileName().toString()).sorted())
                        .satisfiesExactly(n -> assertThat(stampOf(n, "empty", "csv")).isBetween(now.minusSeconds(120), now),
                                n -> assertThat(n).endsWith(".csv.reason.txt"));
            }
        } finally {
            TimeZone.setDefault(local);
        }
    }

    @Test
    void anInboxWhereDoneCannotBeWrittenStopsTheStartWithOneLine() throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(inbox.resolve(".done"), "in the way");
        Files.writeString(inbox.resolve("groups.txt"), ids(2));
        try (ZapiSimulator zapi = simulator(); CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = run(zapi).run();

            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(zapi.requestCount()).isZero();
            assertThat(logs.text().lines().filter(l -> l.startsWith("ERROR"))).singleElement().asString()
                    .contains("cannot start: inbox folder " + inbox.toAbsolutePath() + ": its .done folder cannot be used: a file of that name is in the way");
        }
    }

    @Test
    void anInboxThatIsAFileStopsTheStartWithOneLine() throws IOException {
        Path inbox = dir.resolve("inbox");
        Files.writeString(inbox, "not a folder");
        try (CapturedLogs logs = new CapturedLogs()) {
            BatchRun run = new BatchRun(dir).against("http://127.0.0.1:9", INSTANCE, TOKEN, CLIENT_TOKEN).run();

            assertThat(run.exitCode()).isEqualTo(ZapiGroupRoutes.EXIT_CANNOT_START);
            assertThat(logs.text().lines().filter(l -> l.startsWith("ERROR"))).singleElement().asString()
                    .contains("inbox folder " + inbox.toAbsolutePath() + " cannot be used");
        }
    }

    private static Instant stampOf(String movedName, String stem, String ext) {
        Matcher m = Pattern.compile(Pattern.quote(stem) + "-(\\d{8}T\\d{9})Z\\." + ext).matcher(movedName);
        assertThat(m.matches()).as("%s is <name>-<UTC stamp>.<ext>", movedName).isTrue();
        return LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS")).toInstant(ZoneOffset.UTC);
    }

    private static void bytes(BatchRun run, String name, byte[] content) throws IOException {
        Files.createDirectories(run.inbox());
        Files.write(run.inbox().resolve(name), content);
    }

    /** Input name → the text of its .reason.txt in .rejected/. */
    private static Map<String, String> reasons(BatchRun run) throws IOException {
        Path rejected = run.inbox().resolve(".rejected");
        Map<String, String> byInput = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(rejected)) {
            for (Path reason : files.filter(p -> p.toString().endsWith(".reason.txt")).toList()) {
                String text = Files.readString(reason);
                Matcher file = Pattern.compile("File: +(.+)").matcher(text);
                assertThat(file.find()).isTrue();
                String moved = reason.getFileName().toString().replaceFirst("\\.reason\\.txt$", "");
                assertThat(Files.exists(rejected.resolve(moved), java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("%s beside its reason", moved).isTrue();
                byInput.put(file.group(1).strip(), text);
            }
        }
        return byInput;
    }
}

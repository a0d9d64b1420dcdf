package zapi.grouproutes.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.BatchSink;
import zapi.grouproutes.batch.PublicationLedger;
import zapi.grouproutes.enrichment.GroupResult;

/**
 * The CSV sink: one report per batch, named {@code <input name>-<UTC timestamp>.csv} in the report
 * folder (a schedule tick: {@code <schedule name>-<UTC timestamp>.csv}), with a
 * {@code -participants.csv} companion, and for a schedule tick a {@code -rotations.csv} one.
 * {@code routes/sinks/csv-report.camel.yaml} hands it each result.
 */
public final class CsvReports implements BatchSink {

    private static final Logger LOG = LoggerFactory.getLogger(CsvReports.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Map<String, CsvReport> open = new ConcurrentHashMap<>();

    public CsvReports(Path directory) {
        this.directory = directory;
    }

    @Override
    public void begin(Batch batch) throws IOException {
        String base = baseName(batch.source()) + "-" + STAMP.format(batch.startedAt());
        String name = base;
        for (int n = 2; Files.exists(directory.resolve(name + ".csv")); n++) {
            name = base + "-" + n;
        }
        open.put(batch.runId(), new CsvReport(directory.resolve(name + ".csv"), directory.resolve(name + "-participants.csv"),
                batch.isScheduleTick() ? directory.resolve(name + "-rotations.csv") : null));
        batch.reportGoesTo(directory.resolve(name + ".csv"));
    }

    public void write(GroupResult result, Batch batch) throws IOException {
        if (batch == null) {
            // a stream item (an API lookup beside the inbox, say) has no report: the report is a batch's
            return;
        }
        CsvReport report = open.get(batch.runId());
        if (report == null) {
            throw new IllegalStateException("no open report for batch " + batch.source());
        }
        report.write(result);
    }

    @Override
    public void complete(Batch batch) throws IOException {
        CsvReport report = open.remove(batch.runId());
        if (report != null) {
            report.publish();
        }
    }

    @Override
    public void abandon(Batch batch) {
        CsvReport report = open.remove(batch.runId());
        if (report != null) {
            report.discard();
        }
    }

    /**
     * Startup: hidden part files left by a process that died. A report whose batch reached its commit point
     * (the ledger says so) was whole and is renamed into place; any other part file is of a batch that will
     * run again, and is deleted.
     */
    public void recover(PublicationLedger ledger) throws Exception {
        if (!Files.isDirectory(directory)) {
            return;
        }
        int published = 0;
        int removed = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path part : files.filter(p -> p.getFileName().toString().matches("\\..+\\.csv\\.part")).sorted().toList()) {
                String name = part.getFileName().toString();
                Path target = directory.resolve(name.substring(1, name.length() - ".part".length()));
                String targetName = target.getFileName().toString();
                Path report = target;
                for (String companion : new String[] {"-participants.csv", "-rotations.csv"}) {
                    if (targetName.endsWith(companion)) {
                        report = target.resolveSibling(targetName.substring(0, targetName.length() - companion.length()) + ".csv");
                    }
                }
                if (ledger.isCommitted(report)) {
                    CsvReport.move(part, target);
                    published++;
                } else {
                    Files.deleteIfExists(part);
                    removed++;
                }
            }
        }
        if (published + removed > 0) {
            LOG.warn("Startup clean-up in {}: {} report file(s) of completed batches renamed into place, {} part file(s) of unfinished batches removed",
                    directory, published, removed);
        }
    }

    /** {@code groups.csv} → {@code groups}; a schedule tick's {@code schedule:nightly} → {@code nightly}. */
    static String baseName(String source) {
        String file = Path.of(source.startsWith(Batch.SCHEDULE_PREFIX) ? source.substring(Batch.SCHEDULE_PREFIX.length()) : source)
                .getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}

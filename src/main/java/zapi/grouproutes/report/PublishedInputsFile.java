package zapi.grouproutes.report;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.BatchSink;
import zapi.grouproutes.batch.PublicationLedger;

/**
 * The ledger of published inputs when there is no database: {@code .published-inputs} in the report
 * folder, one line per published batch (input key, report name). A batch's line is appended and forced to
 * disk at its commit point, after its report is whole in its part file and before the rename; so the
 * report of a batch that has a line is renamed into place at the next start if a crash came between.
 */
public final class PublishedInputsFile implements BatchSink, PublicationLedger {

    private final Path file;
    private final Set<String> inputs = ConcurrentHashMap.newKeySet();
    private final Set<String> reports = ConcurrentHashMap.newKeySet();

    public PublishedInputsFile(Path reportDir) throws IOException {
        this.file = reportDir.resolve(".published-inputs");
        Files.createDirectories(reportDir);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    inputs.add(URLDecoder.decode(line.substring(0, tab), StandardCharsets.UTF_8));
                    reports.add(URLDecoder.decode(line.substring(tab + 1), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Override
    public void begin(Batch batch) {
        // nothing to prepare: the line is written at the commit point
    }

    @Override
    public synchronized void complete(Batch batch) throws IOException {
        if (batch.reportPath() == null || reports.contains(batch.reportPath().getFileName().toString())) {
            return;
        }
        String line = URLEncoder.encode(batch.inputKey() == null ? batch.runId() : batch.inputKey(), StandardCharsets.UTF_8) + "\t"
                + URLEncoder.encode(batch.reportPath().getFileName().toString(), StandardCharsets.UTF_8) + "\n";
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        if (batch.inputKey() != null) {
            inputs.add(batch.inputKey());
        }
        reports.add(batch.reportPath().getFileName().toString());
    }

    @Override
    public void abandon(Batch batch) {
        // a batch that never reached its commit point has no line
    }

    @Override
    public boolean isPublished(String inputKey) {
        return inputs.contains(inputKey);
    }

    @Override
    public boolean isCommitted(Path report) {
        return reports.contains(report.getFileName().toString());
    }

}

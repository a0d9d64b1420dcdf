package zapi.grouproutes.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.zapi.Participant;

/**
 * One batch's report and its participants companion. Both are written under hidden {@code .part}
 * names and renamed into place only when the batch completes, so a reader (or a file watcher on the
 * report folder) never sees a half-written report; an abandoned batch leaves nothing behind.
 */
final class CsvReport {

    private static final CSVFormat RFC_4180 = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private final Path report;
    private final Path participants;
    private final Path reportPart;
    private final Path participantsPart;
    private final CSVPrinter reportOut;
    private final CSVPrinter participantsOut;

    CsvReport(Path report, Path participants) throws IOException {
        this.report = report;
        this.participants = participants;
        this.reportPart = report.resolveSibling("." + report.getFileName() + ".part");
        this.participantsPart = participants.resolveSibling("." + participants.getFileName() + ".part");
        Files.createDirectories(report.getParent());
        this.reportOut = open(reportPart, ReportColumns.GROUPS);
        CSVPrinter second;
        try {
            second = open(participantsPart, ReportColumns.PARTICIPANTS);
        } catch (IOException e) {
            reportOut.close();
            Files.deleteIfExists(reportPart);
            throw e;
        }
        this.participantsOut = second;
    }

    private static CSVPrinter open(Path path, java.util.List<String> header) throws IOException {
        Writer writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, RFC_4180);
        printer.printRecord(header);
        return printer;
    }

    Path path() {
        return report;
    }

    synchronized void write(GroupResult result) throws IOException {
        reportOut.printRecord(ReportColumns.groupRow(result));
        if (result.metadata() != null) {
            for (Participant p : result.metadata().participants()) {
                participantsOut.printRecord(ReportColumns.participantRow(result, p));
            }
        }
    }

    /** Flushes to disk and renames both files into place, participants first so the pair is whole. */
    synchronized void publish() throws IOException {
        participantsOut.close(true);
        reportOut.close(true);
        move(participantsPart, participants);
        move(reportPart, report);
    }

    synchronized void discard() {
        for (CSVPrinter out : new CSVPrinter[] {reportOut, participantsOut}) {
            try {
                out.close();
            } catch (IOException ignored) {
                // being thrown away anyway
            }
        }
        for (Path part : new Path[] {reportPart, participantsPart}) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a stray .part file is hidden and named as incomplete
            }
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

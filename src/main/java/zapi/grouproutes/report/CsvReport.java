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
 * One batch's report and its participants companion, and for a schedule tick its rotation report. All
 * are written under hidden {@code .part} names and renamed into place only when the batch completes,
 * the report itself last, so a reader (or a file watcher on the report folder) never sees a
 * half-written report; an abandoned batch leaves nothing behind.
 */
final class CsvReport {

    private static final CSVFormat RFC_4180 = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private final Path report;
    private final Path participants;
    private final Path reportPart;
    private final Path participantsPart;
    private final CSVPrinter reportOut;
    private final CSVPrinter participantsOut;
    private final Path rotations;
    private final Path rotationsPart;
    private final CSVPrinter rotationsOut;

    /** @param rotations the rotation report's path, or null for a batch without one (an input file) */
    CsvReport(Path report, Path participants, Path rotations) throws IOException {
        this.report = report;
        this.participants = participants;
        this.rotations = rotations;
        this.reportPart = part(report);
        this.participantsPart = part(participants);
        this.rotationsPart = rotations == null ? null : part(rotations);
        Files.createDirectories(report.getParent());
        this.reportOut = open(reportPart, ReportColumns.GROUPS);
        try {
            this.participantsOut = open(participantsPart, ReportColumns.PARTICIPANTS);
        } catch (IOException e) {
            discard(reportOut, reportPart);
            throw e;
        }
        try {
            this.rotationsOut = rotations == null ? null : open(rotationsPart, ReportColumns.ROTATIONS);
        } catch (IOException e) {
            discard(reportOut, reportPart);
            discard(participantsOut, participantsPart);
            throw e;
        }
    }

    private static Path part(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".part");
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
        if (rotationsOut != null) {
            java.util.List<String> row = ReportColumns.rotationRow(result);
            if (row != null) {
                rotationsOut.printRecord(row);
            }
        }
    }

    /** Flushes to disk and renames the files into place, the report last so that its companions are whole when it appears. */
    synchronized void publish() throws IOException {
        if (rotationsOut != null) {
            rotationsOut.close(true);
        }
        participantsOut.close(true);
        reportOut.close(true);
        if (rotationsOut != null) {
            move(rotationsPart, rotations);
        }
        move(participantsPart, participants);
        move(reportPart, report);
    }

    synchronized void discard() {
        discard(reportOut, reportPart);
        discard(participantsOut, participantsPart);
        if (rotationsOut != null) {
            discard(rotationsOut, rotationsPart);
        }
    }

    private static void discard(CSVPrinter out, Path part) {
        try {
            out.close();
        } catch (IOException ignored) {
            // being thrown away anyway
        }
        try {
            Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // a stray .part file is hidden and named as incomplete
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

package zapi.grouproutes.http;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

import zapi.grouproutes.source.GroupListFile;
import zapi.grouproutes.source.InputCheck;

/**
 * The folder where {@code POST /api/batches} puts each accepted list ({@code zapi.api.batch-spool}) before
 * it answers 202, and where routes/sources/http-batches.camel.yaml reads them, oldest first, one batch at a
 * time. A list is named by its batch's id: {@code <id>.txt} or {@code <id>.csv} (the format the inbox gives
 * those extensions). It is written to a hidden temporary name, forced to disk, checked as an inbox file is,
 * and only then moved into place atomically, so the consumer never sees half a list and a crash after the
 * 202 loses nothing. Once its report is published it moves to {@code .done/}, where it still answers for its
 * id: the same post is never a second batch.
 */
public final class BatchSpool implements GenericFileFilter<File> {

    public static final String DONE = ".done";
    /** A list's batch id: 24 hex digits of a SHA-256 of what identifies it (its content, or its Idempotency-Key). */
    static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
    private static final Pattern SPOOLED = Pattern.compile("[0-9a-f]{24}\\.(txt|csv)");

    /** A list in the spool (or done), by id. */
    public record Spooled(String id, Path file, boolean created) {
    }

    private final Path folder;
    private final int maxLineLength;
    private final BooleanSupplier takesInput;

    /** @param takesInput whether the http source takes input now: the consumer reads nothing while it is paused or stopped */
    public BatchSpool(Path folder, int maxLineLength, BooleanSupplier takesInput) throws IOException {
        this.folder = folder;
        this.maxLineLength = maxLineLength;
        this.takesInput = takesInput;
        Files.createDirectories(folder.resolve(DONE));
    }

    public Path folder() {
        return folder;
    }

    /**
     * Spools {@code body} as the list of the batch {@code identity} names, unless that batch exists already
     * (spooled, or done): then that one is returned, not created again.
     *
     * @param extension txt or csv: how the list is read
     * @param identity  what makes two posts the same batch: the content, or the caller's Idempotency-Key
     * @param byKey     the identity is an Idempotency-Key: an existing batch with another body is a 422
     */
    public synchronized Spooled accept(byte[] body, String extension, String identity, boolean byKey) throws IOException, BadRequestException,
            ProblemException {
        String id = idOf(identity);
        Optional<Path> existing = find(id);
        if (existing.isPresent()) {
            if (byKey && !(existing.get().getFileName().toString().endsWith("." + extension) && Arrays.equals(Files.readAllBytes(existing.get()), body))) {
                throw new ProblemException(Problem.idempotencyKeyReused("This Idempotency-Key was used for batch " + id
                        + " with another body; send a new key for a new list."));
            }
            return new Spooled(id, existing.get(), false);
        }
        Path temporary = folder.resolve("." + UUID.randomUUID() + "." + extension);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(body));
                channel.force(true);
            }
            InputCheck check = InputCheck.of(temporary, maxLineLength);
            if (check.isRejected()) {
                throw new BadRequestException("The list is not one the inbox would take: " + check.rejection().problem() + " ("
                        + check.rejection().where() + "). Nothing was queued.");
            }
            Path target = folder.resolve(id + "." + extension);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            forceFolder();
            return new Spooled(id, target, true);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The batch's list, waiting or running (in the spool) or done (in .done), if this id was ever accepted. */
    public Optional<Path> find(String id) {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        for (Path place : new Path[] {folder, folder.resolve(DONE)}) {
            for (String extension : new String[] {"txt", "csv"}) {
                Path file = place.resolve(id + "." + extension);
                if (Files.isRegularFile(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the list waits in the spool (not done yet). */
    public boolean waiting(String id) {
        return find(id).map(file -> file.getParent().equals(folder)).orElse(false);
    }

    /** The consumer's filter: spooled lists only (no temporary name, nothing done), and none while the http source is held. */
    @Override
    public boolean accept(GenericFile<File> file) {
        return !file.isDirectory() && SPOOLED.matcher(file.getFileNameOnly()).matches() && takesInput.getAsBoolean();
    }

    /** The list's distinct entries, counted before its batch begins (its total for progress and ETA). */
    public long entries(File file) throws IOException {
        InputCheck check = InputCheck.of(file.toPath(), maxLineLength);
        if (check.isRejected()) {
            throw new IOException("spooled list " + file.getName() + " is no longer readable: " + check.rejection().problem());
        }
        return check.entries();
    }

    /** The batch's own pass over its list. */
    public GroupListFile open(File file) throws IOException {
        return GroupListFile.open(file.toPath(), maxLineLength);
    }

    static String idOf(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The new name survives a crash too: the folder's entry is forced to disk, where the file system allows it. */
    private void forceFolder() {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot open a folder for reading; the move itself is atomic all the same
        }
    }
}

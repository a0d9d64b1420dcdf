package zapi.grouproutes;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A folder the run writes into, made ready at startup: created when missing, and proven to take a new
 * file; otherwise the start stops with one line that says in words what is wrong with it.
 */
public final class WritableFolder {

    private WritableFolder() {
    }

    /**
     * @param which how the message names the folder (its setting and path)
     * @param ifNotWritable what would go wrong, for the message when it cannot be written
     */
    public static void prepare(Path folder, String which, String ifNotWritable) {
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(which + " cannot be used: a file of that name is in the way; remove or rename it");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IllegalArgumentException(which + " cannot be created: " + cause(e), e);
        }
        try {
            // a hidden name: the file consumer never takes it even if it were left behind
            Path probe = Files.createTempFile(folder, ".zapi-write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException(which + " is not writable (" + cause(e) + "); " + ifNotWritable, e);
        }
    }

    private static String cause(IOException e) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        return e.getClass().getSimpleName() + (reason == null ? "" : ": " + reason);
    }
}

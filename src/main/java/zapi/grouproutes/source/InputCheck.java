package zapi.grouproutes.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import zapi.grouproutes.RootCause;

/**
 * The whole input file checked in one streaming pass before its batch begins, so that a file that cannot
 * be read to its end is rejected before anything of it reaches Z-API, instead of being half enriched and
 * then moved to {@code .done}. The pass reads the file exactly as the batch will ({@link GroupListFile}),
 * so it also counts the entries the batch will have: one report row each.
 *
 * @param entries      distinct entries (report rows) the batch will have; 0 when rejected
 * @param rejection    why the file is rejected, or null when it can be enriched
 * @param firstEntries the lines of those entries, so the batch's pass skips duplicates without a key each; null
 *                     when rejected
 */
public record InputCheck(long entries, InputRejection rejection, FirstEntries firstEntries) {

    public static InputCheck of(Path file, int maxLineLength) {
        try {
            if (Files.isSymbolicLink(file)) {
                return rejected(InputRejection.ofFile("it is a symbolic link (to " + Files.readSymbolicLink(file)
                        + "); links in the inbox are never followed", "copy the list itself into the inbox instead of linking to it"));
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return rejected(InputRejection.ofFile("it is not a regular file", "drop a plain text or CSV file"));
            }
            if (attributes.size() == 0) {
                return rejected(InputRejection.ofFile("the file is empty (0 bytes)",
                        "write the group IDs into it before it reaches the inbox: write it under a temporary name"
                                + " (.name or name.part), then rename it"));
            }
            long entries = 0;
            try (GroupListFile list = GroupListFile.open(file, maxLineLength)) {
                while (list.hasNext()) {
                    list.next();
                    entries++;
                }
                return new InputCheck(entries, null, list.firstEntries());
            }
        } catch (RejectedInputException e) {
            return rejected(e.rejection());
        } catch (IOException | UncheckedIOException e) {
            InputRejection rejection = RejectedInputException.findIn(e);
            return rejected(rejection != null ? rejection : InputRejection.ofFile("the file could not be read: " + RootCause.describe(e),
                    "check the file's permissions and the disk, then drop the file again"));
        }
    }

    private static InputCheck rejected(InputRejection rejection) {
        return new InputCheck(0, rejection, null);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}

package zapi.grouproutes.source;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

import zapi.grouproutes.Settings;
import zapi.grouproutes.WritableFolder;

/**
 * The inbox's settings and startup check, and the {@code inbox} bean of routes/sources/inbox-files.camel.yaml.
 *
 * <p>The check runs before any route starts: a file whose move to {@code .done} fails stays in the inbox
 * and is picked up again on every poll, so an inbox where {@code .done} or {@code .rejected} cannot be
 * written stops the start with exit code 1 and one line naming the folder and the cause.
 */
public final class InboxConfiguration implements CamelConfiguration {

    /**
     * Set from {@code zapi.inbox.done-file-name} only when that is not empty; the route reads it as an
     * optional placeholder, which drops the file endpoint's doneFileName option when it is missing (an
     * empty doneFileName would make the endpoint wait for a done file named "").
     */
    static final String DONE_FILE_OPTION = "zapi.inbox.done-file";

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings settings = new Settings(properties);
        if (!Boolean.parseBoolean(settings.text("zapi.source.inbox.enabled", "true"))) {
            // zapi.sources leaves the inbox out: its route is not built, and its folders are not touched
            return;
        }
        Path folder = Path.of(settings.text("zapi.inbox", "data/inbox"));
        long minAge = settings.number("zapi.inbox.min-file-age-ms", 5000);
        long maxLineLength = settings.number("zapi.inbox.max-line-length", GroupListFile.DEFAULT_MAX_LINE_LENGTH);
        if (minAge < 0) {
            throw new IllegalArgumentException("zapi.inbox.min-file-age-ms must be 0 or more, not " + minAge);
        }
        if (maxLineLength < 100 || maxLineLength > 1_000_000) {
            throw new IllegalArgumentException("zapi.inbox.max-line-length must be between 100 and 1000000, not " + maxLineLength);
        }
        String doneFile = settings.text("zapi.inbox.done-file-name", null);
        if (doneFile != null) {
            properties.addOverrideProperty(DONE_FILE_OPTION, doneFile);
        }
        prepare(folder);
        context.getRegistry().bind("inbox", new Inbox(folder, Duration.ofMillis(minAge), (int) maxLineLength, Clock.systemUTC()));
    }

    /** Creates the inbox, .done and .rejected when missing, and proves each can take a new file. */
    static void prepare(Path inbox) {
        writableFolder(inbox, inbox);
        writableFolder(inbox, inbox.resolve(Inbox.DONE));
        writableFolder(inbox, inbox.resolve(Inbox.REJECTED));
    }

    private static void writableFolder(Path inbox, Path folder) {
        String which = folder.equals(inbox) ? "inbox folder " + inbox.toAbsolutePath()
                : "inbox folder " + inbox.toAbsolutePath() + ": its " + folder.getFileName() + " folder";
        WritableFolder.prepare(folder, which, "processed files could not be moved out of the inbox and would be read again on every poll");
    }
}

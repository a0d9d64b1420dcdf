package zapi.grouproutes.app;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.source.InputCheck;

/**
 * The inbox consumer's handler for a failure after an exchange ended, when the file is moved out
 * (routes/sources/inbox-files.camel.yaml, {@code onCompletionExceptionHandler}). A rejected input that
 * could not be moved to .rejected/ would be read, rejected and left again at every poll, so the inbox
 * stops once and says why ({@link Intake#inputStuck}). A published input that could not be moved
 * to .done/ is kept from being read again by the publication ledger (PublishedInputs), so a WARN is enough.
 */
public final class StuckInput implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StuckInput.class);
    private final Intake intake;

    public StuckInput(Intake intake) {
        this.intake = intake;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String file = exchange == null ? "an input" : exchange.getIn().getHeader(Exchange.FILE_NAME, "an input", String.class);
        String movedTo = exchange == null ? null : exchange.getProperty("zapiMoveTo", String.class);
        String cause = exception == null ? "unknown cause" : zapi.grouproutes.intake.Failure.describe(exception);
        InputCheck check = exchange == null ? null : exchange.getProperty("zapiInputCheck", InputCheck.class);
        if (check != null && check.isRejected()) {
            intake.inputStuck("Input " + file + " was rejected but could not be moved to "
                    + movedTo + " (" + cause + "); left in the inbox it would be read again at every poll");
        } else {
            LOG.warn("Input {} could not be moved to {} ({}); it is not read again (its report is published): move or remove it", file,
                    movedTo, cause);
        }
    }
}

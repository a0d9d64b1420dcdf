package zapi.grouproutes.source;

import zapi.grouproutes.RootCause;

/**
 * The publication ledger (the run table, or the file beside the reports) could not say whether an inbox
 * file was published: the file was left for a later poll, so an idle poll does not mean a drained inbox.
 */
public final class UnreadableLedgerException extends Exception {

    /** The cause is told in the message, not chained: a log line names the innermost cause, which alone would not say what was not done. */
    public UnreadableLedgerException(Throwable cause) {
        super("the inbox cannot tell which inputs were published already (" + RootCause.describe(cause)
                + "); files waiting in the inbox were not read");
    }
}

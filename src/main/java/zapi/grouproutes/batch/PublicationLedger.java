package zapi.grouproutes.batch;

import java.nio.file.Path;

/**
 * What says, durably, that a batch's results were published: the commit point of a batch. It is written
 * after every result is in the report's hidden part file and before that file is renamed into place, so
 * a crash between the two is finished at the next start (the report is renamed) instead of run again.
 * The database's run table is the ledger when the database sink is on; a small file beside the reports
 * when it is not.
 */
public interface PublicationLedger {

    /** A batch of the input with this key was published: the input is not enriched again. */
    boolean isPublished(String inputKey) throws Exception;

    /** The batch whose report goes to this path reached its commit point. */
    boolean isCommitted(Path report) throws Exception;
}

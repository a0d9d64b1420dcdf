package zapi.grouproutes.batch;

/**
 * A batch took no more entries because the service is stopping. The entries it had taken were
 * delivered; the batch ends as incomplete and its input stays for the next start, which resumes it.
 */
public final class BatchInterruptedException extends Exception {

    public BatchInterruptedException(String reason) {
        super(reason, null, false, false);
    }
}

package zapi.grouproutes.batch;

import java.util.List;

/**
 * Where a batch learns that its input was begun before and not finished (the service was stopped or
 * killed, or the batch stopped on an outage): the groups those runs fetched OK are not fetched again.
 */
public interface EarlierAttempts {

    /** Runs of the input with this key that never completed, other than {@code currentRunId}. */
    List<String> unfinishedRuns(String inputKey, String currentRunId) throws Exception;
}

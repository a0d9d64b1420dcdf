package zapi.grouproutes.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer of {@code GET /api/batches/{id}} (and of the posts that make a batch or a tick): where the batch
 * is and how it went so far. {@code status}: QUEUED (accepted, not begun), RUNNING, DONE (its report is
 * published) or INCOMPLETE (stopped; {@code reason} says why). {@code kind}: list (a posted list), tick (a
 * schedule's tick) or instance (every group the instance is in). Progress, rate and ETA while it runs; a
 * field without a value is left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchStatus(String id, String kind, String status, String runId, String startedAt, String finishedAt, Counts counts, Long done,
        Long total, Long percent, Double groupsPerSecond, Long etaSeconds, String reason, String report) {

    /** Groups settled so far, per outcome. */
    public record Counts(long ok, long partial, long failed, long rejected) {

        static final Counts NONE = new Counts(0, 0, 0, 0);

        long sum() {
            return ok + partial + failed + rejected;
        }
    }

    static BatchStatus queued(String id, String kind) {
        return new BatchStatus(id, kind, "QUEUED", null, null, null, Counts.NONE, 0L, null, null, null, null, null, null);
    }
}

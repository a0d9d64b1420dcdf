package zapi.grouproutes.batch;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How far a running batch is, as the progress log line and the API's batch status both tell it: groups done,
 * the total once its source counted it, the rate since the batch began, and the time left at that rate.
 */
public record BatchProgress(long done, OptionalLong total, double groupsPerSecond, Optional<Duration> eta) {

    /** @param elapsed time since the batch began */
    public static BatchProgress of(Batch batch, Duration elapsed) {
        long done = batch.total();
        double rate = done / (Math.max(elapsed.toMillis(), 1) / 1000.0);
        OptionalLong total = batch.expected();
        Optional<Duration> eta = total.isEmpty() || rate <= 0 ? Optional.empty()
                : Optional.of(Duration.ofSeconds(Math.round(Math.max(0, total.getAsLong() - done) / rate)));
        return new BatchProgress(done, total, rate, eta);
    }

    /** Whole percent done, once the total is known and not zero. */
    public OptionalLong percent() {
        return total.isEmpty() || total.getAsLong() == 0 ? OptionalLong.empty() : OptionalLong.of(Math.min(100, done * 100 / total.getAsLong()));
    }
}

package zapi.grouproutes.operations;

import java.util.Collection;
import java.util.OptionalLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.Outcome;

/**
 * Groups by outcome since startup ({@code zapi_groups_total}), and how far the running batch is
 * ({@code zapi_batch_groups_done}, {@code zapi_batch_groups_expected}, {@code zapi_batches_running}).
 * All of it is read from {@link Batches} at scrape time, so counting costs the workers nothing extra.
 */
public final class BatchMetrics {

    private BatchMetrics() {
    }

    public static void register(MeterRegistry registry, Batches batches) {
        for (Outcome outcome : Outcome.values()) {
            FunctionCounter.builder("zapi.groups", batches, b -> b.deliveredSinceStart(outcome))
                    .description("Groups delivered to the sinks since startup, by outcome")
                    .tag("outcome", outcome.name())
                    .register(registry);
        }
        Gauge.builder("zapi.batches.running", batches, b -> b.inProgress().size())
                .description("Batches in progress")
                .register(registry);
        Gauge.builder("zapi.batch.groups.done", batches, b -> b.inProgress().stream().mapToLong(Batch::total).sum())
                .description("Groups done so far in the batches in progress (0 when none runs)")
                .register(registry);
        Gauge.builder("zapi.batch.groups.expected", batches, b -> expected(b.inProgress()))
                .description("Groups the batches in progress hold in all, when their sources have counted them (NaN while unknown)")
                .register(registry);
    }

    private static double expected(Collection<Batch> running) {
        if (running.isEmpty()) {
            return Double.NaN;
        }
        long sum = 0;
        for (Batch batch : running) {
            OptionalLong expected = batch.expected();
            if (expected.isEmpty()) {
                return Double.NaN;
            }
            sum += expected.getAsLong();
        }
        return sum;
    }
}

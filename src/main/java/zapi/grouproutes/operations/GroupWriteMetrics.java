package zapi.grouproutes.operations;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import zapi.grouproutes.database.GroupWriteListener;

/** How long the database sink takes to write a group ({@code zapi_db_write_seconds}), written or failed. */
public final class GroupWriteMetrics implements GroupWriteListener {

    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final Timer written;
    private final Timer failed;

    public GroupWriteMetrics(MeterRegistry registry) {
        this.written = timer(registry, "written");
        this.failed = timer(registry, "failed");
    }

    private static Timer timer(MeterRegistry registry, String result) {
        return Timer.builder("zapi.db.write")
                .description("Database sink: one group's write transaction, by result")
                .tag("result", result)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    @Override
    public void wrote(Duration took, boolean ok) {
        (ok ? written : failed).record(took);
    }
}

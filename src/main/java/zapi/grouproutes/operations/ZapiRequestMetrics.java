package zapi.grouproutes.operations;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import zapi.grouproutes.zapi.RequestRate;
import zapi.grouproutes.zapi.ZapiCallListener;

/**
 * Every Z-API request, timed by operation and outcome ({@code zapi_requests_seconds}, a histogram), the
 * 429s on their own ({@code zapi_rate_limited_total}), and the rate limit in force
 * ({@code zapi_rate_limit_requests_per_second}).
 */
public final class ZapiRequestMetrics implements ZapiCallListener {

    /**
     * Buckets around what matters here: a healthy answer takes tens of milliseconds, and the request
     * timeout (15 s by default) is the slowest there is. Fixed buckets keep the scrape small.
     */
    private static final Duration[] BUCKETS = {Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Counter rateLimited;

    public ZapiRequestMetrics(MeterRegistry registry, RequestRate rate) {
        this.registry = registry;
        Gauge.builder("zapi.rate.limit.requests.per.second", rate, RequestRate::perSecond)
                .description("Z-API requests allowed per second now, all workers and retries together")
                .register(registry);
        // registered up front, so an alert on it sees 0 rather than no series until the first 429
        rateLimited = Counter.builder("zapi.rate.limited")
                .description("Z-API answers 429 (rate limited), all operations; by operation: zapi_requests_seconds_count{status=\"429\"}")
                .register(registry);
    }

    @Override
    public void requested(String operation, String outcome, Duration took) {
        timers.computeIfAbsent(operation + ' ' + outcome, key -> Timer.builder("zapi.requests")
                .description("Z-API requests by operation and outcome (HTTP status, TIMEOUT, CONNECTION, or POOL: no free pooled connection in time)")
                .tags("operation", operation, "status", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry))
                .record(took);
        if (outcome.equals("429")) {
            rateLimited.increment();
        }
    }
}

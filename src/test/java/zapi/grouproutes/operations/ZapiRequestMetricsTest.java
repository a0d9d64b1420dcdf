package zapi.grouproutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import zapi.grouproutes.zapi.RequestRate;

class ZapiRequestMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestRate rate = new RequestRate(5);
    private final ZapiRequestMetrics metrics = new ZapiRequestMetrics(registry, rate);

    @Test
    void requestsAreTimedByOperationAndOutcomeIntoHistogramBuckets() {
        metrics.requested("group-invitation-link", "200", Duration.ofMillis(40));
        metrics.requested("group-invitation-link", "200", Duration.ofMillis(700));
        metrics.requested("group-invitation-metadata", "TIMEOUT", Duration.ofSeconds(15));

        String scrape = registry.scrape();
        assertThat(ObserveEndpointsTest.value(scrape, "zapi_requests_seconds_count{operation=\"group-invitation-link\",status=\"200\"}")).isEqualTo(2);
        assertThat(ObserveEndpointsTest.value(scrape, "zapi_requests_seconds_bucket{operation=\"group-invitation-link\",status=\"200\",le=\"0.05\"}")).isEqualTo(1);
        assertThat(ObserveEndpointsTest.value(scrape, "zapi_requests_seconds_bucket{operation=\"group-invitation-link\",status=\"200\",le=\"1.0\"}")).isEqualTo(2);
        assertThat(ObserveEndpointsTest.value(scrape, "zapi_requests_seconds_count{operation=\"group-invitation-metadata\",status=\"TIMEOUT\"}")).isEqualTo(1);
    }

    @Test
    void rateLimitedAnswersAreCountedFromZero() {
        assertThat(ObserveEndpointsTest.value(registry.scrape(), "zapi_rate_limited_total")).isZero();

        metrics.requested("group-invitation-link", "429", Duration.ofMillis(10));
        metrics.requested("group-invitation-metadata", "429", Duration.ofMillis(10));
        metrics.requested("group-invitation-metadata", "200", Duration.ofMillis(10));

        assertThat(ObserveEndpointsTest.value(registry.scrape(), "zapi_rate_limited_total")).isEqualTo(2);
    }

    @Test
    void theRateLimitGaugeReadsTheLimitInForceNow() {
        assertThat(ObserveEndpointsTest.value(registry.scrape(), "zapi_rate_limit_requests_per_second")).isEqualTo(5);

        rate.set(0.5);
        assertThat(ObserveEndpointsTest.value(registry.scrape(), "zapi_rate_limit_requests_per_second")).isEqualTo(0.5);
    }
}

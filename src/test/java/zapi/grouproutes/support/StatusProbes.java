package zapi.grouproutes.support;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The intake probe's {@code GET /status} requests as a WireMock server received them, on the server's own
 * clock: how many there were and how far apart, so a test checks the probe's backoff rather than sleeping
 * through it. WireMock logs each request's arrival to the millisecond.
 */
public record StatusProbes(List<Instant> at, List<LoggedRequest> others) {

    /** The probes so far (oldest first), and every request other than a probe that arrived after {@code since}. */
    public static StatusProbes of(WireMockExtension zapi, String instanceBase, Instant since) {
        List<Instant> probes = zapi.findAll(getRequestedFor(urlPathEqualTo(instanceBase + "/status"))).stream()
                .map(r -> r.getLoggedDate().toInstant()).sorted().toList();
        List<LoggedRequest> others = new ArrayList<>();
        zapi.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> !r.getUrl().startsWith(instanceBase + "/status") && !r.getLoggedDate().toInstant().isBefore(since))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).forEach(others::add);
        return new StatusProbes(probes, others);
    }

    public static StatusProbes of(WireMockExtension zapi, String instanceBase) {
        return of(zapi, instanceBase, Instant.MAX);
    }

    public int count() {
        return at.size();
    }

    /** The time between each probe and the next. */
    public List<Duration> gaps() {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < at.size(); i++) {
            gaps.add(Duration.between(at.get(i - 1), at.get(i)));
        }
        return gaps;
    }
}

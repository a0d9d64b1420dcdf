package zapi.grouproutes.simulator;

import java.util.Set;

/**
 * How the simulator behaves. Defaults act like a healthy instance that accepts both link methods.
 *
 * @param linkMethods         methods {@code group-invitation-link} accepts; others get 405
 * @param requireAccept       answer 415 unless {@code Accept: application/json} is sent (a stricter proxy)
 * @param latencyMillis       added to every answer
 * @param requestsPerSecond   a hidden token-bucket limit: past it, 429 with {@code Retry-After: 1}; 0 for no
 *                            limit ({@link ZapiSimulator#limitRequestsPerSecond} changes it while running)
 * @param burst               the limit's bucket capacity: requests that may arrive at once after a quiet
 *                            spell; 0 for one second's worth (the rate)
 * @param failureRate         share of calls answered 500 (seeded, so repeatable)
 * @param clientTokenFlakiness share of calls answered 400 "client-token is not configured" despite a right header
 */
public record SimulatorOptions(Set<String> linkMethods, boolean requireAccept, long latencyMillis, int requestsPerSecond,
                               int burst, double failureRate, double clientTokenFlakiness) {

    public static SimulatorOptions defaults() {
        return new SimulatorOptions(Set.of("POST", "GET"), false, 0, 0, 0, 0.0, 0.0);
    }

    public SimulatorOptions withLinkMethods(String... methods) {
        return new SimulatorOptions(Set.of(methods), requireAccept, latencyMillis, requestsPerSecond, burst, failureRate, clientTokenFlakiness);
    }

    public SimulatorOptions withRequireAccept(boolean value) {
        return new SimulatorOptions(linkMethods, value, latencyMillis, requestsPerSecond, burst, failureRate, clientTokenFlakiness);
    }

    public SimulatorOptions withLatencyMillis(long value) {
        return new SimulatorOptions(linkMethods, requireAccept, value, requestsPerSecond, burst, failureRate, clientTokenFlakiness);
    }

    public SimulatorOptions withRequestsPerSecond(int value) {
        return new SimulatorOptions(linkMethods, requireAccept, latencyMillis, value, burst, failureRate, clientTokenFlakiness);
    }

    public SimulatorOptions withBurst(int value) {
        return new SimulatorOptions(linkMethods, requireAccept, latencyMillis, requestsPerSecond, value, failureRate, clientTokenFlakiness);
    }

    public SimulatorOptions withFailureRate(double value) {
        return new SimulatorOptions(linkMethods, requireAccept, latencyMillis, requestsPerSecond, burst, value, clientTokenFlakiness);
    }

    public SimulatorOptions withClientTokenFlakiness(double value) {
        return new SimulatorOptions(linkMethods, requireAccept, latencyMillis, requestsPerSecond, burst, failureRate, value);
    }
}

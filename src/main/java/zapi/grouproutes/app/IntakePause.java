package zapi.grouproutes.app;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;

/**
 * Camel's circuit-breaker route policy, opened once per pause. A stream source has several consumers, and
 * the messages in flight when an outage begins all fail with it, a few milliseconds apart: the plain
 * policy opens the circuit again for each, every opening moves the moment the half-open check measures
 * from and schedules a check of its own, and a check that finds the latest opening too recent gives up
 * without scheduling another. Intake then stayed paused for good. Here the failures that arrive while the
 * circuit is open are the same outage and are not counted; only the probe's checks reopen it.
 */
final class IntakePause extends ThrottlingExceptionRoutePolicy {

    private volatile boolean open;

    IntakePause(int threshold, long failureWindowMillis, long halfOpenAfterMillis, List<Class<?>> exceptions) {
        super(threshold, failureWindowMillis, halfOpenAfterMillis, exceptions);
    }

    @Override
    public synchronized void onExchangeDone(Route route, Exchange exchange) {
        if (open) {
            return;
        }
        super.onExchangeDone(route, exchange);
    }

    @Override
    protected void openCircuit(Route route) {
        open = true;
        super.openCircuit(route);
    }

    @Override
    protected void closeCircuit(Route route) {
        super.closeCircuit(route);
        open = false;
    }
}

package zapi.grouproutes.enrichment;

import org.apache.camel.Exchange;

import zapi.grouproutes.zapi.ZapiCallFailedException;
import zapi.grouproutes.zapi.ZapiSystematicException;

/**
 * Group after group FAILED with the very same answer (status and error text) is an answer about the
 * setup, not about the groups: a disconnected instance, a base URL that reaches something else. Past
 * {@code zapi.failures.same-in-a-row} such groups in a row the batch stops as systematic, keeping its
 * input, instead of marking every group FAILED and consuming the input. Only answers count (a 4xx, an
 * error inside a 200): transient failures are the outage guard's ({@code ZapiOutage}). Any group that
 * ends otherwise breaks the streak. 0 turns the rule off.
 */
public final class SameFailureStreak {

    private final int limit;
    private String lastAnswer;
    private int inARow;

    public SameFailureStreak(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("zapi.failures.same-in-a-row must be 0 (off) or more, not " + limit);
        }
        this.limit = limit;
    }

    /** After each group has settled (enrich-group): counts it, and stops the batch at the limit. */
    public void settled(GroupResult result, Exchange exchange) {
        if (limit == 0) {
            return;
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ZapiCallFailedException answer = result.outcome() == Outcome.FAILED && cause instanceof ZapiCallFailedException failed ? failed : null;
        ZapiCallFailedException stop = count(answer);
        if (stop != null) {
            String code = stop.errorCode().matches("[0-9]{3}") ? "HTTP " + stop.errorCode() : stop.errorCode();
            throw new ZapiSystematicException(limit + " groups in a row failed with the same answer (" + code + ": " + stop.zapiError()
                    + "): Z-API answers this to every group, so the cause is the setup (the instance's connection in the"
                    + " Z-API panel, ZAPI_BASE_URL); if the list really holds that many such groups, raise"
                    + " ZAPI_FAILURES_SAME_IN_A_ROW", stop.errorCode(), stop.zapiError());
        }
    }

    /** The answer that reached the limit with this group, or null; the streak then starts over. */
    private synchronized ZapiCallFailedException count(ZapiCallFailedException answer) {
        String key = answer == null ? null : answer.errorCode() + " " + answer.zapiError();
        inARow = key == null ? 0 : key.equals(lastAnswer) ? inARow + 1 : 1;
        lastAnswer = key;
        if (inARow < limit) {
            return null;
        }
        reset();
        return answer;
    }

    /** Forgets the streak. */
    public synchronized void reset() {
        lastAnswer = null;
        inARow = 0;
    }
}

package zapi.grouproutes.app;

import org.apache.camel.CamelContext;

import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.intake.Failure;

/**
 * One poll of the re-checks Z-API's group webhooks asked for (routes/sources/zapi-webhooks): the due groups
 * this instance claimed. Each claim is settled (its row goes) by the route right after its group's result went
 * through every sink, so there is nothing left to acknowledge at the end. A failure leaves the claims' rows:
 * the route gives them back, or their lease does after a kill, and they are re-checked once the source
 * resumes. A claim names a group already checked when its callback came, so bad input is not expected here;
 * should it come, it stops the source like a cause that needs a person rather than drop the row.
 */
public final class WebhookPoll extends StreamItem {

    WebhookPoll(Source source, Batches batches, RunControl run, CamelContext context) {
        super(source, batches, run, context);
    }

    @Override
    public String name() {
        return "webhook:zapi";
    }

    @Override
    public void complete() {
        // every claim was settled as its result left the sinks
    }

    @Override
    void badInput(Failure failure) {
        personNeeded(failure);
    }
}

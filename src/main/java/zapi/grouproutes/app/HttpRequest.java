package zapi.grouproutes.app;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.intake.Failure;
import zapi.grouproutes.intake.SourceHeldException;
import zapi.grouproutes.zapi.PermitLine;

/**
 * One API request that enriches now (a lookup, a refresh) of the http source: a stream item like a JMS
 * message. Nothing to begin; the response is its acknowledgement. Someone waits for it, so its Z-API
 * requests take permits in the interactive lane, ahead of every batch (PermitLine), within the same budget.
 * A transient cause pauses the http source (its probe resumes it) and the request is answered 503 with
 * Retry-After; a cause that needs a person stops the source and is answered 503 naming it; bad input is
 * the caller's (400, or a REJECTED entry) and never holds the source.
 */
public final class HttpRequest extends StreamItem {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRequest.class);

    private final String operation;
    private final Source source;

    HttpRequest(String operation, Source source, Batches batches, RunControl run, CamelContext context) {
        super(source, batches, run, context);
        this.operation = operation;
        this.source = source;
    }

    @Override
    public String name() {
        return "http:" + operation;
    }

    @Override
    public PermitLine.Lane lane() {
        return PermitLine.Lane.INTERACTIVE;
    }

    /** The response is the acknowledgement: nothing else to do. */
    @Override
    public void complete() {
    }

    /**
     * What the request is answered with after its groups went through: null when it may answer with them, or
     * the source's hold (paused or stopped by this request's failure, or by another's meanwhile).
     */
    public SourceHeldException held() {
        Failure failure = failure();
        if (failure != null && failure.is(Failure.Kind.SHUTDOWN)) {
            return new SourceHeldException(source.name(), true, "the service is stopping");
        }
        if (failure != null && (failure.is(Failure.Kind.TRANSIENT) || failure.is(Failure.Kind.PERSON_NEEDED))) {
            IntakeStatus.State state = source.status().state();
            String cause = source.status().cause() == null ? failure.reason() : source.status().cause();
            return new SourceHeldException(source.name(), state != IntakeStatus.State.STOPPED, cause);
        }
        return null;
    }

    /** The reason of a failure about this request's own input, or null. */
    public String badInput() {
        Failure failure = failure();
        return failure != null && failure.is(Failure.Kind.BAD_INPUT) ? failure.reason() : null;
    }

    @Override
    String unacknowledged() {
        return "Enriching requests are answered 503 with the cause meanwhile; reads from the database go on";
    }

    @Override
    void badInput(Failure failure) {
        LOG.warn("API request {} failed on its own input: {}", operation, failure.reason());
    }
}

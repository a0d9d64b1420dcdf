package zapi.grouproutes.app;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.intake.Failure;
import zapi.grouproutes.intake.UnitOfWork;

/**
 * A unit of a stream source (a Kafka poll, a JMS message): no batch, no run row, no report. Its input is
 * acknowledged only once every sink took it; a failure leaves it unacknowledged, so the broker gives it
 * again. A transient cause pauses the source, a cause that needs a person stops it, each source for itself;
 * bad input is the subclass's to decide (a JMS message counts its deliveries towards the dead-letter queue).
 */
public abstract class StreamItem implements UnitOfWork {

    /** The log lines name the kind of unit: KafkaPoll, JmsMessage. */
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final Source source;
    private final Batches batches;
    private final RunControl run;
    private final CamelContext context;
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile Failure failure;

    StreamItem(Source source, Batches batches, RunControl run, CamelContext context) {
        this.source = source;
        this.batches = batches;
        this.run = run;
        this.context = context;
    }

    @Override
    public final String source() {
        return source.name();
    }

    @Override
    public final Batch batch() {
        return null;
    }

    @Override
    public final void settled(GroupResult result) {
        batches.delivered(result, null);
    }

    /** The first failure of this unit, or null. */
    final Failure failure() {
        return failure;
    }

    /** Called by every entry of the unit that hits a failure (a poll's records fail together): the first acts. */
    @Override
    public final void failed(Failure failure) {
        if (!failed.compareAndSet(false, true)) {
            return;
        }
        this.failure = failure;
        String routeId = source.routeId();
        switch (failure.kind()) {
            case SHUTDOWN -> {
                // the service is stopping: not acknowledged, it comes again on the next start
            }
            case TRANSIENT -> {
                if (source.pause(failure.reason(), context)) {
                    log.error("Source {} stopped taking messages: {}. {}; intake pauses"
                            + " and resumes by itself once Z-API and the database answer again.", routeId, failure.reason(), unacknowledged());
                }
            }
            case PERSON_NEEDED -> personNeeded(failure);
            case BAD_INPUT -> badInput(failure);
            default -> throw new IllegalStateException("unknown failure kind " + failure.kind());
        }
    }

    final void personNeeded(Failure failure) {
        if (source.status().state() == IntakeStatus.State.PAUSED) {
            // a unit still in flight while the paused route stops fails with that stop (a pool that rejects
            // work, say): not a cause of its own. It is read again after the pause, and a real cause for a
            // person shows again then.
            log.warn("Source {}: a message in flight failed while it is paused ({}); it is read again when it resumes", source.routeId(),
                    failure.reason());
            return;
        }
        run.unitStopped();
        if (source.stop(failure.reason(), context)) {
            log.error("Source {} stopped: {}. {}.", source.routeId(), failure.reason(), unacknowledged());
            source.sayStopped();
        }
    }

    /** What becomes of the input a failure leaves unacknowledged, for the log line that says the source paused or stopped. */
    String unacknowledged() {
        return "Messages not yet acknowledged stay on the broker";
    }

    /** A failure about this unit's own content. */
    abstract void badInput(Failure failure);
}

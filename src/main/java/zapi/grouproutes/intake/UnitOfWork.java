package zapi.grouproutes.intake;

import org.apache.camel.Exchange;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.zapi.PermitLine;

/**
 * What a source hands to enrichment at once and acknowledges at once: a file of the inbox, a schedule's
 * tick, a poll of the Kafka topic, a message of the JMS queue. Every source route puts its unit on the
 * exchange as one typed object, {@link #PROPERTY}, before anything can fail; enrichment, the sinks and the
 * error handling ask it, and nothing else, what they are working for.
 *
 * <p>Its life, driven by the routes:
 * <ol>
 * <li>{@link #begin}: a batch (a file, a tick) begins its run row and report; a stream item has nothing
 * to begin.</li>
 * <li>{@link #settled}: every enabled sink took one entry's result (routes/sinks/deliver-result).</li>
 * <li>{@link #complete}: every entry settled. The unit acknowledges its input: a batch publishes its
 * report and records its run COMPLETED; a Kafka poll commits its offsets. A file (moved to .done) and a
 * JMS message (its transaction committed) are acknowledged by their consumer once the exchange ends
 * without a failure.</li>
 * <li>{@link #failed}: instead of completing, with the failure classified once ({@link Failure}). The unit
 * decides what the failure does: its input is never acknowledged on a transient or person-needed cause,
 * and its source is paused (transient: the source's probe resumes it) or stopped (a person is needed:
 * readiness names the cause) (zapi.grouproutes.app.Source). Several entries of one unit can fail at
 * once: only the first failure acts.</li>
 * </ol>
 *
 * <p><b>An HTTP source</b> implements it the same way: a lookup request (one group) is a stream item like a
 * JMS message (zapi.grouproutes.app.HttpRequest: nothing to begin; a transient cause pauses the source
 * and is answered 503 with Retry-After, a person-needed one stops it and is answered 503 naming the cause; bad
 * input is a 400 or a REJECTED entry, never a pause; the response is its acknowledgement; its permits take the
 * interactive {@link #lane}), and
 * a posted list is a batch like a file (begin with a key of its content, so a retried post resumes; the
 * 202 and its report are the acknowledgement). Its route sets {@link #PROPERTY} first and uses the
 * source-failures route configuration like the inbox; its status appears in readiness under its name.
 */
public interface UnitOfWork {

    /** The exchange property that carries the unit, from the source route down to every sink. */
    String PROPERTY = "zapiUnitOfWork";

    /** The unit an exchange works for, or null outside a source's exchange. */
    static UnitOfWork of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, UnitOfWork.class);
    }

    /** The source it came from, as readiness lists it: {@code inbox}, {@code kafka}, {@code jms}, {@code schedule}. */
    String source();

    /** Where its entries came from, for events and logs: {@code inbox:groups.csv}, {@code kafka:group-ids}, ... */
    String name();

    /** The batch whose run row and report its results belong to, or null for a stream item (Kafka, JMS). */
    Batch batch();

    /** A batch begins (run row, report, earlier attempts to resume); a stream item has nothing to begin. */
    default void begin(String inputKey, Long expectedEntries) throws Exception {
    }

    /** Every enabled sink took this entry's result. */
    void settled(GroupResult result);

    /** Every entry settled: the unit acknowledges what its consumer does not acknowledge by itself. */
    void complete() throws Exception;

    /** The unit cannot finish: it decides what this does to its input and its source. Only the first call acts. */
    void failed(Failure failure);

    /**
     * The lane its Z-API requests take permits in (zapi.grouproutes.zapi.PermitLine): someone waiting for the
     * answer (an API lookup) goes before the batches and streams, within the same budget.
     */
    default PermitLine.Lane lane() {
        return PermitLine.Lane.BATCH;
    }

    /**
     * Whether a failure ends the exchange as handled (true: nothing to roll back, a tick) or leaves it failed,
     * so the consumer rolls the input back (a file stays, a poll is read again, a message is redelivered).
     */
    default boolean endsOnFailure() {
        return false;
    }
}

package zapi.grouproutes.app;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.intake.Failure;

/**
 * One message of the JMS queue (routes/sources/jms-queue), in its local transaction: committed once every
 * sink took its result, rolled back on a failure so the broker gives it again. A transient cause pauses
 * the source and a person-needed one stops it; neither ever dead-letters the message, however often it was
 * rolled back: the message did nothing wrong. Only bad input counts: on its zapi.jms.max-deliveries-th
 * delivery (JMSXDeliveryCount, the broker's count) the route moves it to the dead-letter queue.
 */
public final class JmsMessage extends StreamItem {

    private static final Logger LOG = LoggerFactory.getLogger(JmsMessage.class);

    private final String queue;
    private final int maxDeliveries;
    private final Message original;
    private final Object messageId;
    private final int deliveries;

    JmsMessage(String queue, int maxDeliveries, Exchange exchange, Source source, Batches batches, RunControl run, CamelContext context) {
        super(source, batches, run, context);
        this.queue = queue;
        this.maxDeliveries = maxDeliveries;
        // the message as it came: what a dead letter carries, whatever enrichment made of the exchange since
        this.original = exchange.getMessage().copy();
        this.messageId = exchange.getMessage().getHeader("JMSMessageID");
        this.deliveries = exchange.getMessage().getHeader("JMSXDeliveryCount", 1, Integer.class);
    }

    @Override
    public String name() {
        return "jms:" + queue;
    }

    /** Committed by the consumer once the exchange ends without a failure. */
    @Override
    public void complete() {
    }

    /**
     * The entry's stable key, for the events' id (CloudEvents): the broker's JMSMessageID, the same on every
     * redelivery of the message, so a consumer of the events can drop a repeat. A producer may turn message
     * ids off: then the message's content and send time stand in for it.
     */
    public String entryKey() {
        if (messageId != null) {
            return name() + "/" + messageId;
        }
        String body = original.getBody(String.class);
        Object sent = original.getHeader("JMSTimestamp");
        return name() + "/" + UUID.nameUUIDFromBytes(String.valueOf(body).getBytes(StandardCharsets.UTF_8)) + "@" + sent;
    }

    /** Whether the route moves the message to the dead-letter queue: bad input, on its last allowed delivery. */
    public boolean isDeadLetter() {
        Failure failure = failure();
        return failure != null && failure.is(Failure.Kind.BAD_INPUT) && deliveries >= maxDeliveries;
    }

    /** The message as it came, for its dead letter. */
    Message original() {
        return original.copy();
    }

    @Override
    void badInput(Failure failure) {
        if (deliveries < maxDeliveries) {
            LOG.warn("Message {} of queue {} failed (delivery {} of {}): {}. It is rolled back and the broker gives it again.", messageId,
                    queue, deliveries, maxDeliveries, failure.reason());
        }
    }
}

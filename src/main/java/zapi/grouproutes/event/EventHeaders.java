package zapi.grouproutes.event;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The headers an event leaves with (routes/sinks/topic.camel.yaml): its content type, and nothing of what
 * the exchange picked up on its way. A group that came from a JMS message carries JMSMessageID,
 * JMSCorrelationID and the sender's application properties; one from a file or a Kafka record carries
 * their headers too. None of them is the event's, so none is copied to the Kafka record. The record's key
 * is not a header here: the Kafka producer takes it from {@code kafka.KEY} itself.
 */
public final class EventHeaders implements HeaderFilterStrategy {

    /** Every header the topic sink means to send. */
    static final Set<String> SENT = Set.of("content-type");

    /** True filters the header out: everything but {@link #SENT}. */
    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !SENT.contains(headerName);
    }

    /** The sink only sends: nothing comes back from Kafka into the exchange. */
    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}

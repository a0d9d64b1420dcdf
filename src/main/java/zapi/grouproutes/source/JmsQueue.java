package zapi.grouproutes.source;

import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.RootCause;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.enrichment.ResultJson;
import zapi.grouproutes.group.ListedGroup;
import zapi.grouproutes.zapi.Credentials;

/**
 * The JMS queue source's steps per message (bean {@code jmsQueue}): the entry a message names, the reply
 * a requester gets, and what a poison message's dead letter and reply say. Every text that names a
 * failure is redacted first: an exception's message may echo a URL with the instance token in it.
 */
public final class JmsQueue {

    /** Longest failure text put in a header or a reply; a driver's message may quote a whole value. */
    static final int MAX_REASON = 500;
    private static final Logger LOG = LoggerFactory.getLogger(JmsQueue.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String queue;
    private final String deadLetterQueue;
    private final int maxDeliveries;
    private final Credentials credentials;
    /** Messages taken by this process: the entry's position, as a file's line number is (a queue has none). */
    private final AtomicLong taken = new AtomicLong();

    public JmsQueue(String queue, String deadLetterQueue, int maxDeliveries, Credentials credentials) {
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.maxDeliveries = maxDeliveries;
        this.credentials = credentials;
    }

    /** The group a message names, or a REJECTED entry saying why it names none. */
    public ListedGroup entry(String body) {
        return MessageEntry.of(body, taken.incrementAndGet());
    }

    /**
     * The reply to a requester (JMSReplyTo): the result as JSON, a REJECTED one included. A result holds no
     * token, but Z-API's own texts (an error, a subject) could echo one: redacted all the same.
     */
    public String reply(GroupResult result) {
        return credentials.redact(ResultJson.of(result).toString());
    }

    /**
     * Throws again the failure a doCatch took from enrich-group, as a new failure of the source route, so
     * that the consumer rolls the message back (its unit of work, JmsMessage, has settled the failure already). enrich-group's
     * error handler already dealt with it and left the exchange marked as such (failure handled,
     * redeliveries exhausted), and Camel's error handler passes over a failure marked that way: the marks
     * are cleared first.
     */
    public void rethrow(Exchange exchange) throws Exception {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getExchangeExtension().setFailureHandled(false);
        exchange.getExchangeExtension().setErrorHandlerHandled(null);
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        exchange.removeProperty(Exchange.EXCEPTION_HANDLED);
        if (caught instanceof Exception e) {
            throw e;
        }
        throw new IllegalStateException("enrichment failed", caught);
    }

    /** Why a message failed, redacted and short: the dead letter's {@code zapiReason}. */
    public String reason(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        return credentials.redactAndShorten(cause == null ? "unknown cause" : RootCause.describe(cause), MAX_REASON);
    }

    /** The message went to the dead-letter queue; the reply, if it asked for one, says so. */
    public String deadLettered(Exchange exchange) {
        String reason = exchange.getMessage().getHeader("zapiReason", String.class);
        LOG.error("Message {} of queue {} failed on each of its {} deliveries and was moved to {}: {}", messageId(exchange), queue,
                deliveries(exchange), deadLetterQueue, reason);
        ObjectNode reply = JSON.createObjectNode();
        reply.put("status", "DEAD_LETTER");
        String body = exchange.getMessage().getBody(String.class);
        reply.put("input", body == null ? null : credentials.redact(ListedGroup.echo(body)));
        reply.put("error_message", reason);
        reply.put("dead_letter_queue", deadLetterQueue);
        return reply.toString();
    }

    private static Object messageId(Exchange exchange) {
        return exchange.getMessage().getHeader("JMSMessageID");
    }

    private static Object deliveries(Exchange exchange) {
        return exchange.getMessage().getHeader("JMSXDeliveryCount");
    }
}

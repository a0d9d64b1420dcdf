package zapi.grouproutes.database;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.Batch;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.intake.UnitOfWork;

/**
 * Says in the log, before each retry, that the database is down and what is waiting for it, so an
 * operator sees an outage while it happens and not only when retries run out. The redelivery policies
 * in {@code routes/error-handling} call it ({@code onRedeliveryRef}).
 */
public final class DatabaseOutageLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageLog.class);

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // a bean call wraps what it throws: the outage's own message is the one worth reading
        DatabaseUnavailableException outage = ObjectHelper.getException(DatabaseUnavailableException.class, cause);
        if (outage != null) {
            cause = outage;
        }
        int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        int of = exchange.getIn().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class);
        LOG.warn("{}; retrying {} (retry {} of {}), the batch waits", cause == null ? "database unavailable" : capitalized(cause.getMessage()),
                waiting(exchange), attempt, of);
    }

    private static String waiting(Exchange exchange) {
        if (exchange.getMessage().getBody() instanceof GroupResult result) {
            return "the result of group " + result.groupId();
        }
        UnitOfWork unit = UnitOfWork.of(exchange);
        Batch batch = unit == null ? null : unit.batch();
        String source = batch != null ? batch.source() : exchange.getIn().getHeader(Exchange.FILE_NAME, "input", String.class);
        return "the run record of batch " + source;
    }

    private static String capitalized(String text) {
        return text == null || text.isEmpty() ? "database unavailable" : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}

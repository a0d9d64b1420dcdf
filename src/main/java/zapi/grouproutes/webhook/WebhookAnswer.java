package zapi.grouproutes.webhook;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.http.BadRequestException;
import zapi.grouproutes.http.Problem;
import zapi.grouproutes.http.WebhookDoor;

/**
 * A callback that could not be taken, answered as an RFC 9457 problem (routes/sources/zapi-webhooks,
 * webhook-answers): 400 for a body that is not JSON, 413 over the cap, 503 with Retry-After while the
 * database cannot record it (Z-API posts again), 500 for anything else. Unlike the API's answers, nothing
 * here names the request's path, which holds the secret.
 */
public final class WebhookAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAnswer.class);

    public static void problem(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Problem problem;
        if (failure instanceof BadRequestException bad) {
            problem = Problem.badRequest(bad.getMessage());
        } else if (failure instanceof ZapiWebhooks.CallbackTooLargeException) {
            problem = WebhookDoor.tooLarge();
        } else if (failure instanceof DatabaseUnavailableException) {
            LOG.warn("A Z-API callback could not be recorded, the database cannot be reached; answered 503 for Z-API to post it again");
            exchange.getMessage().setHeader("Retry-After", "30");
            problem = Problem.unavailable("The database that records callbacks cannot be reached; post again later.");
        } else {
            LOG.warn("A Z-API callback failed: {}", failure == null ? "unknown" : failure.getClass().getName());
            problem = Problem.internal();
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        exchange.getMessage().setBody(problem.json());
    }
}

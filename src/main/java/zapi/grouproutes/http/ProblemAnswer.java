package zapi.grouproutes.http;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.database.DatabaseUnavailableException;

/**
 * Turns the exception an API route ended with into its RFC 9457 answer (routes/error-handling/http-problems):
 * the one place where a failure of the http source becomes a status. A bad request names what was bad; an
 * unknown group is 404; a database that cannot be reached is 503 (it heals by itself: try again); anything
 * else is 500, logged here with its cause, and answered without it.
 */
public final class ProblemAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemAnswer.class);

    public void answer(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Problem problem = problemFor(failure);
        if (problem.status() == 500) {
            LOG.warn("API request {} {} failed: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), failure == null ? "unknown" : failure.getClass().getName() + ": " + failure.getMessage());
        }
        write(exchange, problem);
    }

    static Problem problemFor(Exception failure) {
        if (failure instanceof BadRequestException bad) {
            return Problem.badRequest(bad.getMessage());
        }
        if (failure instanceof UnknownGroupException unknown) {
            return Problem.notFound(unknown.getMessage());
        }
        if (failure instanceof DatabaseUnavailableException) {
            return Problem.unavailable("The database that holds the results cannot be reached; try again later.");
        }
        return Problem.internal();
    }

    static void write(Exchange exchange, Problem problem) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        exchange.getMessage().setBody(problem.json());
    }
}

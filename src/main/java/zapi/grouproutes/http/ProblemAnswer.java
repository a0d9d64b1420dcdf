package zapi.grouproutes.http;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.intake.SourceHeldException;

/**
 * Turns the exception an API route ended with into its RFC 9457 answer (routes/error-handling/http-problems):
 * the one place where a failure of the http source becomes a status. A bad request names what was bad; an
 * unknown group is 404; a database that cannot be reached is 503 (it heals by itself: try again); anything
 * else is 500, logged here with its cause, and answered without it.
 */
public final class ProblemAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemAnswer.class);

    private final long retryAfterSeconds;

    /** @param retryAfterSeconds what a 503 for a paused source says to wait: about one probe of the source */
    public ProblemAnswer(long retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public void answer(Exchange exchange) {
        Exception failure = known(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        Problem problem = problemFor(failure);
        if (problem.status() == 500) {
            LOG.warn("API request {} {} failed: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), failure == null ? "unknown" : failure.getClass().getName() + ": " + failure.getMessage());
        }
        if (failure instanceof SourceHeldException held && held.paused()) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        } else if (failure instanceof DatabaseUnavailableException) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
        write(exchange, problem);
    }

    /** The failure a bean step threw, out of the wrapper Camel's bean expressions put around it. */
    private static Exception known(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadRequestException || cause instanceof ProblemException || cause instanceof UnknownGroupException || cause instanceof SourceHeldException
                    || cause instanceof DatabaseUnavailableException) {
                return (Exception) cause;
            }
        }
        return failure;
    }

    static Problem problemFor(Exception failure) {
        if (failure instanceof BadRequestException bad) {
            return Problem.badRequest(bad.getMessage());
        }
        if (failure instanceof ProblemException answered) {
            return answered.problem();
        }
        if (failure instanceof UnknownGroupException unknown) {
            return Problem.notFound(unknown.getMessage());
        }
        if (failure instanceof SourceHeldException held) {
            return Problem.unavailable(held.getMessage());
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

package zapi.grouproutes.zapi;

import java.time.Duration;

/** A failure a later attempt can cure (429, 5xx, timeouts, resets): the routes retry it with backoff. */
public final class ZapiTransientException extends ZapiException {

    private final Duration retryAfter;

    public ZapiTransientException(String message, String errorCode, String zapiError, Duration retryAfter) {
        super(message, errorCode, zapiError);
        this.retryAfter = retryAfter;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}

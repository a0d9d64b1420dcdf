package zapi.grouproutes.zapi;

import java.time.Duration;

/** A failure a later attempt can cure (429, 5xx, timeouts, resets): the routes retry it with backoff. */
public final class ZapiTransientException extends ZapiException {

    /** The error code of a request that found no free pooled connection in time: it never reached Z-API. */
    public static final String NO_FREE_CONNECTION = "POOL";

    private final String operation;
    private final Duration retryAfter;

    /**
     * @param operation the call that failed ({@code group-invitation-link}, {@code group-invitation-metadata}):
     *                  the outage guard counts each call apart
     */
    public ZapiTransientException(String operation, String message, String errorCode, String zapiError, Duration retryAfter) {
        super(message, errorCode, zapiError);
        this.operation = operation;
        this.retryAfter = retryAfter;
    }

    public ZapiTransientException(String message, String errorCode, String zapiError, Duration retryAfter) {
        this("unknown", message, errorCode, zapiError, retryAfter);
    }

    /** The call that failed. */
    public String operation() {
        return operation;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Z-API answered 429: it is there and asks for less, which says nothing about an outage. */
    public boolean rateLimited() {
        return "429".equals(errorCode());
    }

    /** No pooled connection was free in time: this process was busy, which says nothing about Z-API. */
    public boolean neverSent() {
        return NO_FREE_CONNECTION.equals(errorCode());
    }
}

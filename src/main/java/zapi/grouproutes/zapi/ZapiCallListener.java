package zapi.grouproutes.zapi;

import java.time.Duration;

/**
 * Hears of every HTTP request the client makes, retries and method fallbacks included, so metrics can
 * count and time them without the client depending on a metrics library.
 */
public interface ZapiCallListener {

    /** Hears nothing. */
    ZapiCallListener NONE = (operation, outcome, took) -> {
    };

    /**
     * One request ended.
     *
     * @param operation {@code group-invitation-link}, {@code group-invitation-metadata} or {@code redefine-invitation-link}
     * @param outcome   the HTTP status ({@code "200"}, {@code "429"}), or {@code TIMEOUT}, {@code CONNECTION},
     *                  {@code INTERRUPTED} when no answer came
     * @param took      from sending the request to its answer or failure
     */
    void requested(String operation, String outcome, Duration took);
}

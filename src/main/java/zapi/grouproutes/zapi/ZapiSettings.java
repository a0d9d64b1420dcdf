package zapi.grouproutes.zapi;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * How to reach Z-API. Built from {@code config/application.properties} (every key overridable by its
 * upper-snake-case environment variable), see {@code zapi.grouproutes.app.Wiring}.
 *
 * @param baseUrl               scheme and host, e.g. {@code https://api.z-api.io}
 * @param linkMethod            method tried first for the invitation link: POST (the spec page) or GET
 * @param clientTokenErrorLimit how many "client-token is not configured" answers in a row mean the
 *                              token is really missing rather than flaky
 * @param maxRetryAfter         ceiling on a Retry-After the server asks for
 */
public record ZapiSettings(URI baseUrl, Credentials credentials, Duration connectTimeout, Duration requestTimeout,
                           String linkMethod, int clientTokenErrorLimit, Duration maxRetryAfter) {

    public ZapiSettings {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            baseUrl = URI.create(base.substring(0, base.length() - 1));
        }
        linkMethod = linkMethod.strip().toUpperCase(Locale.ROOT);
        if (!linkMethod.equals("POST") && !linkMethod.equals("GET")) {
            throw new IllegalArgumentException("zapi.invitation-link-method must be POST or GET, not " + linkMethod);
        }
        if (clientTokenErrorLimit < 1) {
            throw new IllegalArgumentException("zapi.client-token-error-limit must be at least 1");
        }
    }
}

package zapi.grouproutes.zapi;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers that say the requests do not reach the API itself, so every group would get the same one:
 * a redirect (an {@code http://} base URL answers 301 with the {@code https://} address) and an HTML
 * page where JSON belongs (a web site, a proxy's login page). Both stop the batch as systematic and
 * name {@code ZAPI_BASE_URL}. Redirects are never followed: they would carry the Client-Token wherever
 * they point.
 */
final class WrongAddress {

    private static final Pattern TITLE = Pattern.compile("<title[^>]*>([^<]{1,200})</title>", Pattern.CASE_INSENSITIVE);
    private static final int MAX_TITLE = 80;

    private WrongAddress() {
    }

    /**
     * Names where the redirect points by scheme and host only: the Location's path repeats the instance
     * path, token included.
     */
    static ZapiSystematicException redirect(String operation, ZapiAnswer response, URI baseUrl) {
        int status = response.status();
        String target = response.location() == null ? null : origin(response.location());
        String hint = "http".equalsIgnoreCase(baseUrl.getScheme()) && target != null && target.startsWith("https://")
                ? "ZAPI_BASE_URL starts with http://; set it to " + target
                : "check ZAPI_BASE_URL";
        return new ZapiSystematicException("Z-API answered HTTP " + status + " for " + operation
                + (target == null ? "" : " (a redirect to " + target + ")")
                + ": redirects are not followed, as they would carry the Client-Token elsewhere; " + hint,
                String.valueOf(status), "HTTP " + status + " redirect");
    }

    /**
     * A body of markup (an HTML page): judged by its first character, not by its Content-Type, since a
     * gateway may label JSON text/html and JSON never starts with '<'.
     */
    static boolean isHtml(ZapiAnswer response) {
        String body = response.body().stripLeading();
        return body.startsWith("<") || body.startsWith("\uFEFF<");
    }

    static ZapiSystematicException htmlPage(String operation, ZapiAnswer response, Credentials credentials) {
        int status = response.status();
        Matcher title = TITLE.matcher(response.body());
        String named = title.find() ? credentials.redactAndShorten(title.group(1).strip().replaceAll("\\s+", " "), MAX_TITLE) : null;
        String page = "an HTML page" + (named == null || named.isEmpty() ? "" : " titled '" + named + "'");
        return new ZapiSystematicException("Z-API answered an HTML page (HTTP " + status + ") where JSON belongs, for " + operation
                + (named == null || named.isEmpty() ? "" : ", titled '" + named + "'")
                + ": ZAPI_BASE_URL points at a web site or a proxy rather than the API; check ZAPI_BASE_URL",
                String.valueOf(status), page);
    }

    /** {@code scheme://host[:port]} of a Location, or null when it has none (a relative redirect). */
    private static String origin(String location) {
        try {
            URI uri = URI.create(location.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package zapi.grouproutes.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import zapi.grouproutes.Settings;

/**
 * The http source's settings, read and checked once: where it listens, who may come in, TLS and the
 * per-client limits. A start that would serve the API to anyone is refused here, naming the setting, before
 * anything listens: no keys and no explicit {@code zapi.api.auth=none}, or {@code none} on an address other
 * than loopback.
 *
 * @param keys          empty only with authentication off
 * @param keystore      null: plain HTTP
 * @param requestsPerSecond per API key; a burst of as many requests is allowed
 */
public record HttpDoor(String host, int port, ApiKeys keys, boolean authenticationOff, Path keystore, String keystorePassword,
        double requestsPerSecond, long maxBodyBytes, int maxIds) {

    /** Whether {@code zapi.sources} names the http source. */
    public static boolean enabled(Settings settings) {
        return Arrays.stream(settings.text("zapi.sources", "inbox").split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).anyMatch("http"::equals);
    }

    public static HttpDoor read(Settings settings) {
        String host = settings.text("zapi.http.host", "0.0.0.0");
        long port = settings.number("zapi.http.port", 8080);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("zapi.http.port (ZAPI_HTTP_PORT) must be a port number, not " + port);
        }
        String auth = settings.text("zapi.api.auth", "keys").toLowerCase(Locale.ROOT);
        if (!auth.equals("keys") && !auth.equals("none")) {
            throw new IllegalArgumentException("zapi.api.auth (ZAPI_API_AUTH) must be keys or none, not '" + auth + "'");
        }
        ApiKeys keys = ApiKeys.parse(settings.text("zapi.api.keys", ""));
        boolean off = auth.equals("none");
        if (off && !loopback(host)) {
            throw new IllegalArgumentException("zapi.api.auth (ZAPI_API_AUTH) is none, but the API listens on " + host
                    + " (zapi.http.host): authentication may only be off on a loopback address (127.0.0.1, ::1, localhost)");
        }
        if (off && !keys.isEmpty()) {
            throw new IllegalArgumentException("zapi.api.auth (ZAPI_API_AUTH) is none, but zapi.api.keys (ZAPI_API_KEYS) lists keys: choose one");
        }
        if (!off && keys.isEmpty()) {
            throw new IllegalArgumentException("zapi.sources contains http, but zapi.api.keys (ZAPI_API_KEYS) is empty: the API never starts"
                    + " without authentication. Set ZAPI_API_KEYS to name:sha256-hex-of-the-key (docs/http-api.md), or ZAPI_API_AUTH=none"
                    + " with ZAPI_HTTP_HOST=127.0.0.1 for a local trial");
        }
        String keystoreSetting = settings.text("zapi.http.tls.keystore", null);
        Path keystore = null;
        String password = settings.text("zapi.http.tls.keystore-password", null);
        if (keystoreSetting != null) {
            keystore = Path.of(keystoreSetting);
            if (!Files.isReadable(keystore)) {
                throw new IllegalArgumentException("zapi.http.tls.keystore (ZAPI_HTTP_TLS_KEYSTORE): no readable file at " + keystore);
            }
            if (password == null) {
                throw new IllegalArgumentException("zapi.http.tls.keystore (ZAPI_HTTP_TLS_KEYSTORE) is set, but zapi.http.tls.keystore-password"
                        + " (ZAPI_HTTP_TLS_KEYSTORE_PASSWORD) is empty");
            }
        }
        double rate = Double.parseDouble(settings.text("zapi.api.rate.requests-per-second", "10"));
        if (!(rate > 0)) {
            throw new IllegalArgumentException("zapi.api.rate.requests-per-second (ZAPI_API_RATE_REQUESTS_PER_SECOND) must be above 0, not " + rate);
        }
        long maxBody = settings.number("zapi.api.max-body-bytes", 4_194_304);
        long maxIds = settings.number("zapi.api.max-ids", 100);
        if (maxBody < 1 || maxIds < 1) {
            throw new IllegalArgumentException("zapi.api.max-body-bytes and zapi.api.max-ids must be at least 1");
        }
        return new HttpDoor(host, (int) port, keys, off, keystore, password, rate, maxBody, (int) maxIds);
    }

    /** Only a literal loopback address or localhost: a name that resolves elsewhere later must not count. */
    static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public boolean tls() {
        return keystore != null;
    }

    /** What the startup line says: never a key, a hash or the keystore's password. */
    public String describe() {
        return (tls() ? "https" : "http") + "://" + host + ":" + port + "/api, "
                + (authenticationOff ? "authentication OFF (loopback only)" : keys.size() + " API key(s)")
                + ", " + requestsPerSecond + " requests/s per key, bodies up to " + maxBodyBytes + " bytes, " + maxIds + " IDs per request";
    }
}

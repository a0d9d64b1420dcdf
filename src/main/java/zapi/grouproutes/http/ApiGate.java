package zapi.grouproutes.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.console.ConsoleServer;

/**
 * The first handler of every request the API's server receives, whatever its path (an unknown one, the
 * OpenAPI document, a future operation alike), installed on the server's router before any route:
 * <ol>
 * <li>the API key ({@code Authorization: Bearer <key>}), or 401 with {@code WWW-Authenticate: Bearer} and
 * nothing that tells a missing key from a wrong or revoked one;</li>
 * <li>the key's request rate, or 429 with {@code Retry-After};</li>
 * <li>a declared body over the cap, or 413 before it is read (a chunked one is cut by the body handler);</li>
 * <li>an audit line with the key's name (never the key) for each request that may change something.</li>
 * </ol>
 * The key's name reaches the routes as the {@value #KEY_NAME_HEADER} header, always set here, so a caller
 * cannot send one of its own.
 */
public final class ApiGate implements Handler<RoutingContext> {

    private static final Logger AUDIT = LoggerFactory.getLogger("zapi.grouproutes.http.audit");
    public static final String KEY_NAME_HEADER = "ZapiApiKeyName";
    /** The caller when authentication is off (loopback only): one rate for all. */
    static final String ANONYMOUS = "anonymous";

    private final HttpDoor door;
    private final Map<String, Bucket> rates = new ConcurrentHashMap<>();

    /** Whether the webhook source is on: its path has its own gate (WebhookDoor) and no API key. */
    private final boolean webhookOn;
    /** The web console, or null when it is off: its pages have their own sign-in, and its sessions may call the API. */
    private final ConsoleServer console;

    public ApiGate(HttpDoor door) {
        this(door, false, null);
    }

    public ApiGate(HttpDoor door, boolean webhookOn, ConsoleServer console) {
        this.door = door;
        this.webhookOn = webhookOn;
        this.console = console;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (webhookOn && WebhookDoor.owns(ctx.normalizedPath())) {
            // Z-API's callbacks carry no API key: their own gate (the secret path) decides
            ctx.next();
            return;
        }
        if (console != null && ConsoleServer.owns(ctx.normalizedPath())) {
            // the console's pages and sign-in: its own handlers decide (ConsoleServer)
            ctx.next();
            return;
        }
        ctx.request().headers().remove(KEY_NAME_HEADER);
        Optional<String> name = door.authenticationOff() ? Optional.of(ANONYMOUS) : door.keys().nameOf(bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)));
        if (name.isEmpty() && console != null) {
            // a console page: its session's cookie together with the session's CSRF token, never the cookie alone
            name = console.apiCaller(ctx);
        }
        if (name.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"zapi-group-routes\"");
            answer(ctx, Problem.unauthorized());
            return;
        }
        ConsumptionProbe probe = rates.computeIfAbsent(name.get(), key -> bucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / (double) TimeUnit.SECONDS.toNanos(1)));
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
            answer(ctx, Problem.tooManyRequests(seconds));
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredOver(length)) {
            answer(ctx, Problem.tooLarge(door.maxBodyBytes()));
            return;
        }
        HttpMethod method = ctx.request().method();
        if (!(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS)) {
            AUDIT.info("API {} {} by key '{}'", method.name(), ctx.normalizedPath(), name.get());
        }
        ctx.request().headers().set(KEY_NAME_HEADER, name.get());
        ctx.next();
    }

    private boolean declaredOver(String length) {
        try {
            return Long.parseLong(length.strip()) > door.maxBodyBytes();
        } catch (NumberFormatException e) {
            // Vert.x refuses a malformed Content-Length itself
            return false;
        }
    }

    /** The per-key budget: the rate, with a burst of one second's worth. */
    private Bucket bucket() {
        double rate = door.requestsPerSecond();
        long burst = Math.max(1, (long) Math.ceil(rate));
        long nanosPerRequest = Math.max(1, (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) / rate));
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(burst).refillGreedy(1, Duration.ofNanos(nanosPerRequest)).build()).build();
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        return value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ") ? value.substring(7).strip() : null;
    }

    /** Ends the request with {@code problem} as its body. */
    static void answer(RoutingContext ctx, Problem problem) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(problem.json());
    }
}

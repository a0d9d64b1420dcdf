package zapi.grouproutes.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import zapi.grouproutes.webhook.WebhookSettings;

/**
 * The first handler of every request to {@value WebhookSettings#PATH_PREFIX}: the webhook source's gate,
 * instead of {@link ApiGate} (Z-API sends no API key; it signs nothing, so the secret path is the
 * authentication). The path's last segment is compared with the secret in constant time (both hashed first,
 * so neither their contents nor their lengths show in the time taken); a wrong one is answered 404 like a
 * path that does not exist, without echoing it. Then a POST only (405), and a body declared over
 * {@value WebhookSettings#MAX_BODY_BYTES} bytes is refused before it is read (413); a chunked one is
 * measured by the route. Nothing here logs: the path holds the secret.
 */
public final class WebhookDoor implements Handler<RoutingContext> {

    private final byte[] secretHash;

    private WebhookDoor(String secret) {
        this.secretHash = sha256(secret);
    }

    /** Installs the gate on the server's router, before any of its routes takes a request. */
    public static void install(Router router, WebhookSettings settings, boolean apiToo) {
        router.route(WebhookSettings.PATH_PREFIX + "*").order(Integer.MIN_VALUE).handler(new WebhookDoor(settings.secret()));
        if (!apiToo) {
            // the http source is off: the answers it would give for paths no route takes are given here
            router.route().order(Integer.MAX_VALUE).handler(new NoSuchOperation(router));
            router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> ApiGate.answer(ctx, ctx.statusCode() == 413
                    ? tooLarge() : new Problem("/api/problems/bad-request", "Bad request", ctx.statusCode() >= 400 && ctx.statusCode() < 500
                            ? ctx.statusCode() : 400, "The request could not be read.")));
        }
    }

    /** Whether a request's path is the webhook's, which ApiGate leaves to this gate. */
    public static boolean owns(String path) {
        return path != null && path.startsWith(WebhookSettings.PATH_PREFIX);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String given = path.substring(WebhookSettings.PATH_PREFIX.length());
        if (given.endsWith("/")) {
            given = given.substring(0, given.length() - 1);
        }
        if (given.contains("/") || !MessageDigest.isEqual(sha256(given), secretHash)) {
            ApiGate.answer(ctx, Problem.notFound("No operation at this path; the API is described at /api/openapi.json."));
            return;
        }
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.response().putHeader("Allow", "POST");
            ApiGate.answer(ctx, Problem.methodNotAllowed(ctx.request().method().name() + " is not an operation of the webhook (allowed: POST)."));
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredOver(length)) {
            ApiGate.answer(ctx, tooLarge());
            return;
        }
        ctx.next();
    }

    /** 413 for a webhook body: its own cap, not the API's. */
    public static Problem tooLarge() {
        return new Problem("/api/problems/body-too-large", "Body too large", 413, "The body is larger than " + WebhookSettings.MAX_BODY_BYTES
                + " bytes: a Z-API callback is far smaller.");
    }

    private static boolean declaredOver(String length) {
        try {
            return Long.parseLong(length.strip()) > WebhookSettings.MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package zapi.grouproutes.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.http.ApiKeys;

/**
 * The web console under {@code /console} on the http source's server (docs/console.md): its pages and
 * assets from the jar, and sign-in. A browser presents an API key once ({@code POST /console/sign-in}, a
 * form) and gets a session cookie (HttpOnly, SameSite=Strict, Secure under TLS); the pages then call the
 * API's own JSON operations with that cookie and the session's CSRF token ({@value #CSRF_HEADER}), which
 * {@link #apiCaller} accepts in place of a Bearer key. A wrong key gets the sign-in page again with 401 and
 * the same words whatever was wrong; no session.
 */
public final class ConsoleServer {

    private static final Logger AUDIT = LoggerFactory.getLogger("zapi.grouproutes.http.audit");
    public static final String COOKIE = "zapi_console";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist";
    /** Pages run only their own scripts and styles, and no other site may frame them. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String FAILED_MARK = "<!--sign-in-failed-->";

    private final ApiKeys keys;
    private final ConsoleSessions sessions;
    private final boolean tls;
    /** Sign-in attempts, all callers together: a key cannot be guessed at the server's speed. */
    private final Bucket attempts = Bucket.builder().addLimit(Bandwidth.builder().capacity(10).refillGreedy(2, Duration.ofSeconds(1)).build()).build();
    private final String signInPage = resource("console/sign-in.html");
    private final String appPage = resource("console/index.html");

    public ConsoleServer(ApiKeys keys, ConsoleSessions sessions, boolean tls) {
        this.keys = keys;
        this.sessions = sessions;
        this.tls = tls;
    }

    /** Whether {@code path} is the console's (its handlers decide who may see it, not the API's key check). */
    public static boolean owns(String path) {
        return path.equals("/console") || path.startsWith("/console/");
    }

    /**
     * The name of the key a console session signed in with, when the request carries the session's cookie
     * and its CSRF token; empty otherwise, so a cookie alone never opens the API.
     */
    public Optional<String> apiCaller(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        if (cookie == null) {
            return Optional.empty();
        }
        return sessions.find(cookie.getValue(), ctx.request().getHeader(CSRF_HEADER)).map(ConsoleSessions.Session::keyName);
    }

    /** Adds the console's routes to the server's router. */
    public void install(Router router) {
        // Vert.x matches /console and /console/ alike; the page's relative links need the slash
        router.get("/console").handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                app(ctx);
            } else {
                redirect(ctx, "/console/");
            }
        });
        router.get("/console/sign-in").handler(ctx -> page(ctx, 200, signInPage));
        router.post("/console/sign-in").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::signIn);
        router.post("/console/sign-out").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::signOut);
        router.get("/console/session").handler(this::session);
        router.get("/console/assets/uplot/*").handler(StaticHandler.create(UPLOT).setCachingEnabled(false).setDirectoryListing(false));
        router.get("/console/assets/*").handler(StaticHandler.create("console/assets").setCachingEnabled(false).setDirectoryListing(false));
        router.route("/console/*").handler(ctx -> ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end("Not found"));
    }

    private void app(RoutingContext ctx) {
        if (current(ctx).isEmpty()) {
            redirect(ctx, "/console/sign-in");
            return;
        }
        page(ctx, 200, appPage);
    }

    private void signIn(RoutingContext ctx) {
        if (!attempts.tryConsume(1)) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
            page(ctx, 429, signInPage.replace(FAILED_MARK, "<p class=\"alert\" role=\"alert\">Too many sign-in attempts; wait a second and try again.</p>"));
            return;
        }
        String key = ctx.request().getFormAttribute("key");
        Optional<String> name = keys.nameOf(key == null ? null : key.strip());
        if (name.isEmpty()) {
            page(ctx, 401, signInPage.replace(FAILED_MARK, "<p class=\"alert\" role=\"alert\">Sign-in failed: that is not a valid API key.</p>"));
            return;
        }
        ConsoleSessions.Session session = sessions.open(name.get());
        AUDIT.info("Console sign-in by key '{}'", name.get());
        ctx.response().addCookie(cookie(session.id(), sessions.idle().toSeconds()));
        redirect(ctx, "/console/");
    }

    private void signOut(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        String token = ctx.request().getFormAttribute("csrf");
        Optional<ConsoleSessions.Session> session = cookie == null ? Optional.empty()
                : sessions.find(cookie.getValue(), token != null ? token : ctx.request().getHeader(CSRF_HEADER));
        if (session.isEmpty()) {
            ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("Refused: no session, or no valid CSRF token.");
            return;
        }
        sessions.end(session.get().id());
        AUDIT.info("Console sign-out by key '{}'", session.get().keyName());
        ctx.response().addCookie(cookie("", 0));
        redirect(ctx, "/console/sign-in");
    }

    /** The page's own session: its key's name, its CSRF token and when it ends unless used. */
    private void session(RoutingContext ctx) {
        Optional<ConsoleSessions.Session> session = current(ctx);
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (session.isEmpty()) {
            ctx.response().setStatusCode(401).end("{\"signedIn\":false}");
            return;
        }
        ctx.response().end(io.vertx.core.json.Json.encode(java.util.Map.of("signedIn", true, "keyName", session.get().keyName(),
                "csrfToken", session.get().csrfToken(), "expiresAt", session.get().expiresAt().toString())));
    }

    private Optional<ConsoleSessions.Session> current(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        return cookie == null ? Optional.empty() : sessions.find(cookie.getValue());
    }

    private Cookie cookie(String value, long maxAgeSeconds) {
        return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSecure(tls).setSameSite(CookieSameSite.STRICT).setMaxAge(maxAgeSeconds);
    }

    private static void page(RoutingContext ctx, int status, String html) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", POLICY).putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer").putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(html);
    }

    private static void redirect(RoutingContext ctx, String to) {
        ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, to).putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
    }

    private static String resource(String name) {
        try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console's page " + name + " is not in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

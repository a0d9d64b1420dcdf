package zapi.grouproutes.http;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The last handler on the API's router: a request that no operation took. 405 with {@code Allow} when its
 * path is an operation's with another method, else 404; both as problems. Vert.x answers these itself with
 * an HTML page, from the server's outer router, whose error handlers the Camel server does not expose; so the
 * answer is decided here, inside the router Camel gives, from its routes' paths and methods.
 */
final class NoSuchOperation implements Handler<RoutingContext> {

    private static final Pattern PARAMETER = Pattern.compile(":[A-Za-z0-9_]+");

    private final Router router;

    NoSuchOperation(Router router) {
        this.router = router;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Set<String> allowed = new TreeSet<>();
        for (Route route : List.copyOf(router.getRoutes())) {
            String template = route.getPath();
            if (template == null || route.methods() == null || route.methods().isEmpty() || !matches(template, path)) {
                continue;
            }
            route.methods().stream().map(HttpMethod::name).forEach(allowed::add);
        }
        if (allowed.isEmpty()) {
            ApiGate.answer(ctx, Problem.notFound("No operation at " + path + "; the API is described at /api/openapi.json."));
            return;
        }
        if (allowed.contains(ctx.request().method().name())) {
            // the path and method are an operation's: only its Content-Type (the route's consumes) did not match
            String type = ctx.request().getHeader("Content-Type");
            ApiGate.answer(ctx, Problem.unsupportedMediaType("The body's Content-Type (" + (type == null ? "none" : GroupQueries.printable(type))
                    + ") is not one " + ctx.request().method().name() + " " + path + " takes; see /api/openapi.json."));
            return;
        }
        ctx.response().putHeader("Allow", String.join(", ", allowed));
        ApiGate.answer(ctx, Problem.methodNotAllowed(ctx.request().method().name() + " is not an operation of " + path + " (allowed: "
                + String.join(", ", allowed) + ")."));
    }

    /** A Vert.x path template ({@code /api/groups/:groupId}) against a request's path. */
    static boolean matches(String template, String path) {
        String stripped = template.endsWith("/") && template.length() > 1 ? template.substring(0, template.length() - 1) : template;
        StringBuilder regex = new StringBuilder();
        int at = 0;
        var parameters = PARAMETER.matcher(stripped);
        while (parameters.find()) {
            regex.append(Pattern.quote(stripped.substring(at, parameters.start()))).append("[^/]+");
            at = parameters.end();
        }
        regex.append(Pattern.quote(stripped.substring(at))).append("/?");
        return path.matches(regex.toString());
    }
}

package zapi.grouproutes.zapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpMethods;

/**
 * Sends one HTTP request to Z-API as an exchange of its own through the {@code zapi-request} route
 * ({@code routes/enrichment/zapi-request.camel.yaml}), whose camel-http endpoint is the base URL alone: the
 * instance path, token included, travels in {@code CamelHttpPath}, never in an endpoint URI (Camel logs and
 * lists those, and its sanitizer does not mask path segments). Every status comes back as a {@link ZapiAnswer};
 * only a request that got no answer throws, with the {@link IOException} that says why.
 * <p>
 * A request is its own exchange, not the group's: the group's exchange keeps its body and headers, and the
 * request carries only what {@link ZapiHeaders} lets out.
 */
public final class ZapiHttp {

    static final String ROUTE = "direct:zapi-request";

    private final CamelContext context;
    private final String instancePath;
    private final String clientToken;
    private final ReentrantLock starting = new ReentrantLock();
    private volatile ProducerTemplate template;
    private volatile Endpoint route;

    public ZapiHttp(CamelContext context, Credentials credentials) {
        this.context = context;
        this.instancePath = "/instances/" + credentials.instanceId() + "/token/" + credentials.token();
        this.clientToken = credentials.clientToken();
    }

    /**
     * @param path     after the instance path, e.g. {@code /group-invitation-link/<id>}
     * @param query    the raw (encoded) query, or null
     * @param explicit send Content-Type and Accept with the charset spelled out (the 415 fix)
     */
    ZapiAnswer send(String method, String path, String query, boolean explicit) throws IOException {
        Exchange exchange;
        try {
            exchange = producer().send(route, request -> fill(request.getIn(), method, path, query, explicit));
        } catch (RuntimeException e) {
            throw noAnswer(e);
        }
        Exception failure = exchange.getException();
        if (failure != null) {
            throw noAnswer(failure);
        }
        Message answer = exchange.getMessage();
        Integer status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            throw new IOException("no HTTP status in the answer");
        }
        byte[] body = answer.getBody(byte[].class);
        return new ZapiAnswer(status, body == null ? "" : new String(body, StandardCharsets.UTF_8),
                answer.getHeader(ZapiHeaders.RETRY_AFTER, String.class), answer.getHeader(ZapiHeaders.LOCATION, String.class));
    }

    /** The request as camel-http reads it: method, path and query in its headers, the protocol's headers, the body. */
    private void fill(Message in, String method, String path, String query, boolean explicit) {
        // the enum camel-http reads it as: a String would be converted on every request, through the type
        // converter's search for an assignable converter (a quarter of the CPU per group, by a JFR profile)
        in.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method));
        in.setHeader(Exchange.HTTP_PATH, instancePath + path);
        if (query != null) {
            in.setHeader(Exchange.HTTP_RAW_QUERY, query);
        }
        if (clientToken != null) {
            in.setHeader(ZapiHeaders.CLIENT_TOKEN, clientToken);
        }
        if (explicit) {
            in.setHeader(ZapiHeaders.ACCEPT, "application/json");
        }
        if (method.equals("POST")) {
            in.setHeader(ZapiHeaders.CONTENT_TYPE, explicit ? "application/json; charset=UTF-8" : "application/json");
            in.setBody("{}");
        } else if (explicit) {
            in.setHeader(ZapiHeaders.CONTENT_TYPE, "application/json; charset=UTF-8");
        }
    }

    /**
     * The I/O failure under whatever Camel wrapped it in. Anything else (the context stopping under a status
     * probe, say) did not reach Z-API either, and is told as such: by its type, never its message, which
     * could name the address with the path.
     */
    private static IOException noAnswer(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return io;
            }
        }
        return new IOException("the request was not sent (" + failure.getClass().getSimpleName() + ")");
    }

    private ProducerTemplate producer() {
        ProducerTemplate current = template;
        if (current != null) {
            return current;
        }
        starting.lock();
        try {
            if (template == null) {
                route = context.getEndpoint(ROUTE);
                template = context.createProducerTemplate();
            }
            return template;
        } finally {
            starting.unlock();
        }
    }
}

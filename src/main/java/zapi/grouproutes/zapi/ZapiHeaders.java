package zapi.grouproutes.zapi;

import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The headers a Z-API request may carry, and the answer's headers worth reading: everything else is filtered
 * out both ways. A request's exchange is made for it alone ({@link ZapiHttp}), but an allow-list says what
 * leaves even if a header slips in later (a tracing or a routing header carrying whatever it carries), and
 * keeps an answer's dozens of gateway headers out of the message.
 */
public final class ZapiHeaders implements HeaderFilterStrategy {

    static final String CLIENT_TOKEN = "Client-Token";
    static final String CONTENT_TYPE = "Content-Type";
    static final String ACCEPT = "Accept";
    static final String RETRY_AFTER = "Retry-After";
    static final String LOCATION = "Location";

    private static final Set<String> SENT = Set.of("client-token", "content-type", "accept");
    private static final Set<String> READ = Set.of("retry-after", "location");

    /** True filters the header out of the request. */
    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !SENT.contains(name.toLowerCase(Locale.ROOT));
    }

    /** True keeps the answer's header out of the message. */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return !READ.contains(name.toLowerCase(Locale.ROOT));
    }
}

package zapi.grouproutes.kamelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A user's flow around one Kamelet of {@code kamelets/}, read from its file by camel-kamelet as Camel JBang
 * reads it: {@code direct:flow -> kamelet:<name>?...}. The credentials come from {@code camel.kamelet.<name>.*}
 * properties (as the docs show) unless a test passes them in the Kamelet's URI.
 */
final class KameletFlow implements AutoCloseable {

    static final String INSTANCE = "inst-1";
    static final String TOKEN = "TOKEN-5ecret-in-path";
    static final String CLIENT_TOKEN = "CLIENT-5ecret-in-header";
    static final String INSTANCE_PATH = "/instances/" + INSTANCE + "/token/" + TOKEN;

    private final CamelContext context = new DefaultCamelContext();
    private final ProducerTemplate producer;

    /** @param options more of the Kamelet's options, e.g. {@code method=GET}, as the URI's query */
    KameletFlow(String kamelet, String baseUrl, String... options) throws Exception {
        this(kamelet, baseUrl, credentialsFor(kamelet), options);
    }

    KameletFlow(String kamelet, String baseUrl, Properties settings, String... options) throws Exception {
        context.getPropertiesComponent().setInitialProperties(settings);
        context.getComponent("kamelet", KameletComponent.class).setLocation("file:kamelets");
        StringBuilder uri = new StringBuilder("kamelet:").append(kamelet).append("?instanceId=").append(INSTANCE)
                .append("&baseUrl=").append(baseUrl);
        for (String option : options) {
            uri.append('&').append(option);
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:flow").routeId("flow").to(uri.toString());
            }
        });
        context.start();
        producer = context.createProducerTemplate();
    }

    static Properties credentialsFor(String kamelet) {
        Properties settings = new Properties();
        settings.put("camel.kamelet." + kamelet + ".token", TOKEN);
        settings.put("camel.kamelet." + kamelet + ".clientToken", CLIENT_TOKEN);
        return settings;
    }

    Exchange send(Object body) {
        return send(body, Map.of());
    }

    Exchange send(Object body, Map<String, Object> headers) {
        return producer.send("direct:flow", exchange -> {
            exchange.getIn().setBody(body);
            exchange.getIn().setHeaders(new java.util.HashMap<>(headers));
        });
    }

    CamelContext context() {
        return context;
    }

    /** Neither token in any header (name or value), property or exception of what came back, nor in an HTTP endpoint's URI. */
    void assertNoSecretIn(Exchange exchange) {
        StringBuilder seen = new StringBuilder();
        exchange.getMessage().getHeaders().forEach((name, value) -> seen.append(name).append('=').append(value).append('\n'));
        exchange.getAllProperties().forEach((name, value) -> seen.append(name).append('=').append(value).append('\n'));
        if (exchange.getException() != null) {
            StringWriter trace = new StringWriter();
            exchange.getException().printStackTrace(new PrintWriter(trace));
            seen.append(trace);
        }
        assertThat(seen.toString()).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN).doesNotContain("/instances/");
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKeys(Exchange.HTTP_PATH, "Client-Token", Exchange.HTTP_METHOD);
        assertThat(context.getEndpoints()).extracting(Endpoint::getEndpointUri)
                .filteredOn(uri -> uri.startsWith("http"))
                .isNotEmpty()
                .allSatisfy(uri -> assertThat(uri).doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN).doesNotContain("/instances/"));
    }

    @Override
    public void close() {
        context.stop();
    }
}

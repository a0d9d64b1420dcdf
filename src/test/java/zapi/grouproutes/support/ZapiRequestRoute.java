package zapi.grouproutes.support;

import java.net.URI;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;

import zapi.grouproutes.zapi.Credentials;
import zapi.grouproutes.zapi.ZapiHeaders;
import zapi.grouproutes.zapi.ZapiHttp;
import zapi.grouproutes.zapi.ZapiHttpClient;

/**
 * The product's own {@code zapi-request} route (read from {@code routes/}) in a Camel context of its own, for
 * tests of the Z-API client without the rest of the application.
 */
public final class ZapiRequestRoute implements AutoCloseable {

    private final CamelContext context = new DefaultCamelContext();
    private final ZapiHttp http;

    public ZapiRequestRoute(URI baseUrl, Credentials credentials, Duration connectTimeout, Duration requestTimeout) throws Exception {
        Properties settings = new Properties();
        settings.put("zapi.base-url", baseUrl.toString());
        settings.put("zapi.connect-timeout-ms", String.valueOf(connectTimeout.toMillis()));
        settings.put("zapi.request-timeout-ms", String.valueOf(requestTimeout.toMillis()));
        settings.put("zapi.http.connections", "10");
        context.getPropertiesComponent().setInitialProperties(settings);
        context.getRegistry().bind("zapiHeaders", new ZapiHeaders());
        context.getRegistry().bind("zapiHttpClient", new ZapiHttpClient());
        PluginHelper.getRoutesLoader(context).loadRoutes(
                PluginHelper.getResourceLoader(context).resolveResource("file:routes/error-handling/caller-handles-errors.camel.yaml"),
                PluginHelper.getResourceLoader(context).resolveResource("file:routes/enrichment/zapi-request.camel.yaml"));
        context.start();
        http = new ZapiHttp(context, credentials);
    }

    public ZapiHttp http() {
        return http;
    }

    public CamelContext context() {
        return context;
    }

    @Override
    public void close() {
        context.stop();
    }
}

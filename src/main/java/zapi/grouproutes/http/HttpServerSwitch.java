package zapi.grouproutes.http;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

import zapi.grouproutes.Settings;

/**
 * Turns Camel's HTTP server on for the http source, with TLS when a keystore is set. Camel Main reads
 * {@code camel.server.*} and {@code camel.ssl.*} before any CamelConfiguration runs, so this decides as Main
 * begins to configure, after checking the source's settings ({@link HttpDoor#read}), so that a start without
 * keys is refused before anything listens. Camel's own {@code camel.server.authenticationEnabled} is never
 * used: in 4.18 it starts the server unprotected, without a word, when no mechanism is configured; the
 * API's keys are checked by {@link ApiGate} on every path instead.
 */
public final class HttpServerSwitch extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        Settings settings = new Settings(properties);
        boolean enabled = HttpDoor.enabled(settings);
        properties.addOverrideProperty("zapi.source.http.enabled", String.valueOf(enabled));
        // the Rest DSL's switch (routes/sources/http-api.camel.yaml): a rest definition has no precondition
        properties.addOverrideProperty("zapi.source.http.disabled", String.valueOf(!enabled));
        if (!enabled) {
            properties.addOverrideProperty("camel.server.enabled", "false");
            return;
        }
        HttpDoor door = HttpDoor.read(settings);
        properties.addOverrideProperty("camel.server.enabled", "true");
        properties.addOverrideProperty("camel.server.authentication-enabled", "false");
        if (door.tls()) {
            properties.addOverrideProperty("camel.ssl.enabled", "true");
            properties.addOverrideProperty("camel.ssl.key-store", "file:" + door.keystore().toAbsolutePath());
            properties.addOverrideProperty("camel.ssl.keystore-password", door.keystorePassword());
            properties.addOverrideProperty("camel.ssl.key-store-type", door.keystore().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12");
            properties.addOverrideProperty("camel.server.use-global-ssl-context-parameters", "true");
        }
    }
}

package zapi.grouproutes.http;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

import zapi.grouproutes.Settings;
import zapi.grouproutes.webhook.WebhookSettings;

/**
 * Turns Camel's HTTP server on for the http source and the webhook source (zapi.webhook.secret), with TLS when a keystore is set. Camel Main reads
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
        boolean webhook = WebhookSettings.enabled(settings);
        if (webhook) {
            // a short secret or a public URL that is not https is refused before anything listens
            WebhookSettings.read(settings);
        }
        if (!enabled && !webhook) {
            properties.addOverrideProperty("camel.server.enabled", "false");
            return;
        }
        properties.addOverrideProperty("camel.server.enabled", "true");
        properties.addOverrideProperty("camel.server.authentication-enabled", "false");
        Path keystore;
        String password;
        if (enabled) {
            HttpDoor door = HttpDoor.read(settings);
            keystore = door.keystore();
            password = door.keystorePassword();
        } else {
            // the webhook alone on the server: the same TLS settings, checked the same way
            keystore = keystore(settings);
            password = keystore == null ? null : settings.text("zapi.http.tls.keystore-password", null);
        }
        if (keystore != null) {
            properties.addOverrideProperty("camel.ssl.enabled", "true");
            properties.addOverrideProperty("camel.ssl.key-store", "file:" + keystore.toAbsolutePath());
            properties.addOverrideProperty("camel.ssl.keystore-password", password);
            properties.addOverrideProperty("camel.ssl.key-store-type", keystore.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12");
            properties.addOverrideProperty("camel.server.use-global-ssl-context-parameters", "true");
        }
    }

    private static Path keystore(Settings settings) {
        String setting = settings.text("zapi.http.tls.keystore", null);
        if (setting == null) {
            return null;
        }
        Path keystore = Path.of(setting);
        if (!Files.isReadable(keystore)) {
            throw new IllegalArgumentException("zapi.http.tls.keystore (ZAPI_HTTP_TLS_KEYSTORE): no readable file at " + keystore);
        }
        if (settings.text("zapi.http.tls.keystore-password", null) == null) {
            throw new IllegalArgumentException("zapi.http.tls.keystore (ZAPI_HTTP_TLS_KEYSTORE) is set, but zapi.http.tls.keystore-password"
                    + " (ZAPI_HTTP_TLS_KEYSTORE_PASSWORD) is empty");
        }
        return keystore;
    }
}

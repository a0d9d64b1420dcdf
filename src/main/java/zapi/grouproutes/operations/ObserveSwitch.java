package zapi.grouproutes.operations;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

import zapi.grouproutes.app.RunMode;

/**
 * Turns the health and metrics endpoints on or off from {@code zapi.observe.enabled} and the mode. Camel
 * Main reads {@code camel.management.*} and {@code camel.metrics.*} before any CamelConfiguration runs,
 * so the decision is made here, as Main begins to configure.
 */
public final class ObserveSwitch extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        boolean serve = serves(text(properties, "zapi.observe.enabled", "auto"), RunMode.parse(text(properties, "zapi.mode", "service")));
        properties.addOverrideProperty("camel.management.enabled", String.valueOf(serve));
        properties.addOverrideProperty("camel.metrics.enabled", String.valueOf(serve));
        int port = port(text(properties, "zapi.observe.port", "8081"));
        if (!serve) {
            return;
        }
        if (Boolean.parseBoolean(text(properties, "camel.server.enabled", "false"))
                && String.valueOf(port).equals(text(properties, "camel.server.port", "8080"))) {
            // Camel would serve management on the shared server and ignore part of its settings
            throw new IllegalArgumentException("zapi.observe.port must differ from camel.server.port (" + port + ")");
        }
        ensureFree(text(properties, "zapi.observe.host", "0.0.0.0"), port);
    }

    /**
     * Camel 4.18 only logs a port it cannot bind and starts without the endpoints: a service would look
     * dead to its probes and be restarted in a loop. A port in use is said before anything starts instead.
     */
    private static void ensureFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalArgumentException("health and metrics cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); set zapi.observe.port to a free port, or zapi.observe.enabled=false");
        }
    }

    /**
     * {@code auto}: a service serves health and metrics, a batch run does not, so a batch started from
     * cron next to a running service does not fail on the service's port. {@code true}/{@code false} force it.
     */
    static boolean serves(String setting, RunMode mode) {
        return switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> mode == RunMode.SERVICE;
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("zapi.observe.enabled must be auto, true or false, not '" + setting + "'");
        };
    }

    static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("zapi.observe.port must be a port number (0 for any free port), not '" + value + "'");
    }

    /** A setting, blank meaning unset (an empty environment variable, say). */
    static String text(PropertiesComponent properties, String key, String fallback) {
        return properties.resolveProperty(key).filter(v -> !v.isBlank()).map(String::strip).orElse(fallback);
    }
}

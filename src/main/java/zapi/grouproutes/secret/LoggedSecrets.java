package zapi.grouproutes.secret;

import java.beans.PropertyChangeEvent;
import java.util.List;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * The secret values this process knows, which {@link MaskingLogEventFactory} masks in every log event.
 * The settings that hold one are {@link #KEYS}, whose every value is added before Camel resolves one (its
 * properties parser logs each value it resolves, at DEBUG); a new secret setting (an HTTP source's API keys, a webhook
 * secret) is added there, or its values handed to {@link #add} as soon as they are known.
 */
public final class LoggedSecrets {

    /** The settings whose values are secrets. */
    public static final List<String> KEYS = List.of("zapi.token", "zapi.client-token", "zapi.db.password", "zapi.jms.password",
            "zapi.http.tls.keystore-password", "zapi.webhook.secret");

    private static volatile SecretMask current = SecretMask.none();

    private LoggedSecrets() {
    }

    public static SecretMask current() {
        return current;
    }

    /** Masks these values from now on in every log event (nulls and values too short to mask are ignored). */
    public static synchronized void add(String... values) {
        current = current.with(values);
    }

    /**
     * Makes sure every logger masks, whatever configuration is in force now or later: when the factory of
     * {@code log4j2.component.properties} was overridden ({@code -Dlog4j2.logEventFactory}), the masking
     * factory is put in front of the one in force, on every logger and again after every reconfiguration.
     */
    public static void install() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return;
        }
        wrap(context.getConfiguration());
        context.addPropertyChangeListener((PropertyChangeEvent event) -> {
            if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName()) && event.getNewValue() instanceof Configuration config) {
                wrap(config);
            }
        });
    }

    private static void wrap(Configuration config) {
        for (LoggerConfig logger : config.getLoggers().values()) {
            wrap(logger);
        }
        wrap(config.getRootLogger());
    }

    private static void wrap(LoggerConfig logger) {
        if (!(logger.getLogEventFactory() instanceof MaskingLogEventFactory)) {
            logger.setLogEventFactory(new MaskingLogEventFactory(logger.getLogEventFactory()));
        }
    }
}

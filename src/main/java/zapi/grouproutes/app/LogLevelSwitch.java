package zapi.grouproutes.app;

import java.util.List;
import java.util.Locale;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code zapi.log-level} (env {@code ZAPI_LOG_LEVEL}): raises the application's and Camel's loggers, and
 * only those, so DEBUG can be turned on without editing log4j2.xml. The loggers log4j2.xml pins because
 * they print resolved setting values (Camel's properties parser) keep their own level: being more
 * specific, their configuration wins over the one set here. Empty: log4j2.xml decides alone.
 */
public final class LogLevelSwitch implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LogLevelSwitch.class);

    /** What the switch raises; the libraries beneath (pool, migrations, drivers) stay as log4j2.xml says. */
    static final List<String> RAISED = List.of("zapi.grouproutes", "org.apache.camel");

    @Override
    public void configure(CamelContext context) {
        String value = context.getPropertiesComponent().resolveProperty("zapi.log-level").map(String::strip).orElse("");
        if (value.isEmpty()) {
            return;
        }
        Level level = Level.toLevel(value.toUpperCase(Locale.ROOT), null);
        if (level == null || level == Level.OFF || level == Level.ALL) {
            throw new IllegalArgumentException("zapi.log-level must be TRACE, DEBUG, INFO, WARN or ERROR, not '" + value + "'");
        }
        RAISED.forEach(logger -> Configurator.setLevel(logger, level));
        LOG.info("Log level {} for {} (zapi.log-level); loggers that print setting values stay at INFO", level, RAISED);
    }
}

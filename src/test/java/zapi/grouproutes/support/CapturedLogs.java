package zapi.grouproutes.support;

import java.io.StringWriter;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything logged at INFO and above (or the level given) while it is open, by every logger (Camel's
 * too), with stack traces: what an operator's log file would hold.
 */
public final class CapturedLogs implements AutoCloseable {

    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext context;

    public CapturedLogs() {
        this(Level.INFO);
    }

    /** Captures from {@code level} up, as far as the loggers' own levels let events through. */
    public CapturedLogs(Level level) {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().withConfiguration(config)
                .withPattern("%-5level %c{1} - %msg%n%throwable").build();
        appender = WriterAppender.newBuilder().setName("captured-" + System.nanoTime()).setLayout(layout).setTarget(text).build();
        appender.start();
        config.addAppender(appender);
        // events reach root's appenders through additivity; only non-additive loggers need their own
        for (LoggerConfig logger : config.getLoggers().values()) {
            if (!logger.isAdditive() || logger == config.getRootLogger()) {
                logger.addAppender(appender, level, null);
            }
        }
        if (config.getRootLogger().getAppenders().get(appender.getName()) == null) {
            config.getRootLogger().addAppender(appender, level, null);
        }
        context.updateLoggers();
    }

    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (LoggerConfig logger : config.getLoggers().values()) {
            logger.removeAppender(appender.getName());
        }
        config.getRootLogger().removeAppender(appender.getName());
        appender.stop();
        context.updateLoggers();
    }
}

package zapi.grouproutes.secret;

import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.impl.DefaultLogEventFactory;
import org.apache.logging.log4j.core.impl.LogEventFactory;
import org.apache.logging.log4j.core.impl.ReusableLogEventFactory;
import org.apache.logging.log4j.core.util.Constants;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * Makes every log event, before any filter, appender or layout sees it, with the secrets of
 * {@link LoggedSecrets} masked in its message and in its exception's messages. Log4j takes it from
 * {@code log4j2.component.properties} in the jar ({@code log4j2.logEventFactory}), which an operator's own
 * log4j2 file does not replace, so it holds under any logging configuration; {@link LoggedSecrets#install()}
 * puts it in front of whatever factory is in force when that property was overridden.
 */
public final class MaskingLogEventFactory implements LogEventFactory {

    private final LogEventFactory delegate;

    /** The factory Log4j would have used: reusable events unless thread locals are off (web apps). */
    public MaskingLogEventFactory() {
        this(Constants.ENABLE_THREADLOCALS ? new ReusableLogEventFactory() : new DefaultLogEventFactory());
    }

    MaskingLogEventFactory(LogEventFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public LogEvent createEvent(String loggerName, Marker marker, String fqcn, Level level, Message data, List<Property> properties,
            Throwable t) {
        SecretMask mask = LoggedSecrets.current();
        return delegate.createEvent(loggerName, marker, fqcn, level, masked(data, mask), properties, MaskedThrowable.of(t, mask));
    }

    @Override
    public LogEvent createEvent(String loggerName, Marker marker, String fqcn, StackTraceElement location, Level level, Message data,
            List<Property> properties, Throwable t) {
        SecretMask mask = LoggedSecrets.current();
        return delegate.createEvent(loggerName, marker, fqcn, location, level, masked(data, mask), properties, MaskedThrowable.of(t, mask));
    }

    /** The message itself when its text holds no secret, else that text masked. */
    static Message masked(Message data, SecretMask mask) {
        if (data == null || mask.isEmpty()) {
            return data;
        }
        String text = data.getFormattedMessage();
        return mask.appearsIn(text) ? new SimpleMessage(mask.mask(text)) : data;
    }
}

package zapi.grouproutes.source;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

import zapi.grouproutes.Settings;
import zapi.grouproutes.enrichment.ConcurrencySettings;
import zapi.grouproutes.zapi.Credentials;

/**
 * The JMS queue source's settings, its connection to the broker (the {@code jms} component) and the
 * {@code jmsQueue} bean of routes/sources/jms-queue.camel.yaml.
 * Nothing is built when {@code zapi.sources} leaves {@code jms} out.
 *
 * <p>One Artemis connection factory behind Spring's CachingConnectionFactory: the listener keeps its own
 * connection, session and consumer per consumer thread ({@code cacheLevelName=CACHE_CONSUMER} in the
 * route), and the sends of the dead-letter step and the replies reuse cached sessions instead of opening
 * a session per message. The same factory object serves both, which is what lets a send made while a
 * message is being handled join that message's local transaction (Spring exposes the listener's session).
 */
public final class JmsQueueConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(JmsQueueConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings settings = new Settings(properties);
        if (!Boolean.parseBoolean(settings.text("zapi.source.jms.enabled", "false"))) {
            return;
        }
        String url = required(settings, "zapi.jms.url");
        String queue = required(settings, "zapi.jms.queue");
        String user = settings.text("zapi.jms.user", null);
        String password = settings.text("zapi.jms.password", null);
        // a number of workers means as many consumers; with auto, camel-jms adds consumers while messages wait
        long consumers = ConcurrencySettings.jmsConsumers(settings);
        long maxDeliveries = settings.number("zapi.jms.max-deliveries", 5);
        String deadLetterQueue = settings.text("zapi.jms.dead-letter-queue", queue + ".DLQ");
        if (consumers < 1) {
            throw new IllegalArgumentException("zapi.jms.concurrent-consumers must be at least 1, not " + consumers);
        }
        // the Z-API connection pool counts these threads too (ConcurrencySettings.httpConnections)
        long maxConsumers = ConcurrencySettings.jmsMaxConsumers(settings);
        if (maxDeliveries < 1) {
            throw new IllegalArgumentException("zapi.jms.max-deliveries must be at least 1, not " + maxDeliveries);
        }
        if (deadLetterQueue.equals(queue)) {
            throw new IllegalArgumentException("zapi.jms.dead-letter-queue is the queue itself (" + queue
                    + "): a poison message would come straight back");
        }
        // the routes read the resolved values: an empty setting means its default here
        properties.addOverrideProperty("zapi.jms.concurrent-consumers", String.valueOf(consumers));
        properties.addOverrideProperty("zapi.jms.max-concurrent-consumers", String.valueOf(maxConsumers));
        properties.addOverrideProperty("zapi.jms.max-deliveries", String.valueOf(maxDeliveries));
        properties.addOverrideProperty("zapi.jms.dead-letter-queue", deadLetterQueue);

        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(url, user, password);
        CachingConnectionFactory cached = new CachingConnectionFactory(broker);
        // one session per consumer thread for its sends, plus a few for replies and dead letters
        cached.setSessionCacheSize((int) consumers + 2);
        // the listener caches its own consumers; cached consumers would keep prefetched messages after a pause
        cached.setCacheConsumers(false);
        context.addComponent("jms", JmsComponent.jmsComponent(cached));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                cached.destroy();
                broker.close();
            }
        });
        Credentials credentials = context.getRegistry().lookupByNameAndType("credentials", Credentials.class);
        context.getRegistry().bind("jmsQueue", new JmsQueue(queue, deadLetterQueue, (int) maxDeliveries, credentials));
        LOG.info("JMS source: queue {} at {}{}, {} consumers, poison messages to {} after {} deliveries", queue, withoutQuery(url),
                user == null ? "" : " as " + user, consumers, deadLetterQueue, maxDeliveries);
    }

    /** A broker URL may carry user and password as parameters: only scheme, host and port are logged. */
    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    private static String required(Settings settings, String key) {
        String value = settings.text(key, null);
        if (value == null) {
            throw new IllegalArgumentException(key + " is empty, but zapi.sources contains jms: set "
                    + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value;
    }
}

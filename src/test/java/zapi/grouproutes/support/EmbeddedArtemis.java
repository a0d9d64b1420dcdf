package zapi.grouproutes.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A real ActiveMQ Artemis broker in the test JVM: one core-protocol acceptor on a free loopback port, no
 * security, journal in the given folder (persistent messages survive the application as they would on a
 * real broker).
 * Like the deployment README asks, the broker never dead-letters by itself (max-delivery-attempts -1):
 * the application's zapi.jms.max-deliveries decides.
 */
public final class EmbeddedArtemis implements AutoCloseable {

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final String url;
    private final ActiveMQConnectionFactory factory;

    private EmbeddedArtemis(Path dir) throws Exception {
        int port = freePort();
        url = "tcp://127.0.0.1:" + port;
        Configuration config = new ConfigurationImpl().setPersistenceEnabled(true).setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString()).setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString()).setPagingDirectory(dir.resolve("paging").toString())
                // no JMX; and no disk sync per send or commit: a test's broker needs its journal to survive the
                // application, not a power cut, and syncing each of hundreds of commits made tests slow
                .setJMXManagementEnabled(false).setJournalSyncTransactional(false).setJournalSyncNonTransactional(false);
        config.addAcceptorConfiguration("core", url + "?protocols=CORE");
        // a dead-letter and an expiry address only so that the broker does not warn about their absence per queue
        config.addAddressSetting("#", new AddressSettings().setMaxDeliveryAttempts(-1).setRedeliveryDelay(0)
                .setDeadLetterAddress(SimpleString.of("broker.DLA")).setExpiryAddress(SimpleString.of("broker.expired"))
                .setAutoCreateQueues(true).setAutoCreateAddresses(true));
        server.setConfiguration(config);
        server.start();
        factory = new ActiveMQConnectionFactory(url);
    }

    public static EmbeddedArtemis start(Path dir) throws Exception {
        return new EmbeddedArtemis(dir);
    }

    public String url() {
        return url;
    }

    /** A client connection of the test's own (the sender, the requester, the DLQ reader). */
    public Connection connect() throws JMSException {
        Connection connection = factory.createConnection();
        connection.start();
        return connection;
    }

    /** Messages on the queue that are not yet acknowledged (waiting or being delivered), without taking them. */
    public long messageCount(String queue) {
        var binding = server.getActiveMQServer().locateQueue(queue);
        return binding == null ? 0 : binding.getMessageCount();
    }

    /** Takes every message on the queue within the wait, for reading what a dead letter holds. */
    public List<Message> drain(String queueName, long firstWaitMillis) throws JMSException {
        List<Message> messages = new ArrayList<>();
        try (Connection connection = connect(); Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Queue queue = session.createQueue(queueName);
            try (MessageConsumer consumer = session.createConsumer(queue)) {
                for (Message m = consumer.receive(firstWaitMillis); m != null; m = consumer.receive(200)) {
                    messages.add(m);
                }
            }
        }
        return messages;
    }

    /** Creates an anycast queue before anyone sends to it, so counting it works from the start. */
    public void createQueue(String name) throws Exception {
        server.getActiveMQServer().createQueue(QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST).setDurable(true));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        factory.close();
        server.stop();
    }
}

package zapi.grouproutes.event;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Whether the Kafka cluster answers, for the intake probe: a pause caused by a broker that does not take
 * events must last until it does, not end as soon as Z-API and the database answer (which would enrich
 * the same poll again and again, spending Z-API requests, while every send still fails).
 *
 * <p>The Admin client connects as the source's consumer does: the kafka component's configuration
 * ({@code camel.component.kafka.*}) turned into client properties by camel-kafka itself, so
 * {@code security.protocol}, {@code sasl.*} and {@code ssl.*} reach it too (from these only what an
 * Admin client knows is kept). Without them a probe of a SASL or TLS cluster never passed, and intake
 * never resumed after a pause.
 */
public final class KafkaBrokerCheck implements Supplier<String> {

    private static final int TIMEOUT_MS = 5000;
    private final Supplier<KafkaConfiguration> configuration;

    /** @param configuration the kafka component's, read at each probe (Camel Main configures it after the beans are wired) */
    public KafkaBrokerCheck(Supplier<KafkaConfiguration> configuration) {
        this.configuration = configuration;
    }

    /** Null when the cluster answers, else what is wrong. */
    @Override
    public String get() {
        Map<String, Object> properties = adminProperties();
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "Kafka " + properties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + " does not answer (" + cause.getClass().getSimpleName() + ")";
        }
    }

    /** What the Admin client is created with: the consumer's client properties that an Admin client knows, and short timeouts. */
    Map<String, Object> adminProperties() {
        KafkaConfiguration kafka = configuration.get();
        Properties consumer = kafka.createConsumerProperties();
        Map<String, Object> admin = new HashMap<>();
        consumer.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(String.valueOf(key))) {
                admin.put(String.valueOf(key), value);
            }
        });
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        return admin;
    }
}

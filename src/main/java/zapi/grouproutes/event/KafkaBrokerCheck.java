package zapi.grouproutes.event;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Whether the Kafka cluster answers, for the intake probe: a pause caused by a broker that does not take
 * events must last until it does, not end as soon as Z-API and the database answer (which would enrich
 * the same poll again and again, spending Z-API requests, while every send still fails).
 */
public final class KafkaBrokerCheck implements Supplier<String> {

    private static final int TIMEOUT_MS = 5000;
    private final String brokers;

    public KafkaBrokerCheck(String brokers) {
        this.brokers = brokers;
    }

    /** Null when the cluster answers, else what is wrong. */
    @Override
    public String get() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS))) {
            admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "Kafka " + brokers + " does not answer (" + cause.getClass().getSimpleName() + ")";
        }
    }
}

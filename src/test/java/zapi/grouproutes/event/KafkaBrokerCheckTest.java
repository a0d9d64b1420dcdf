package zapi.grouproutes.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.component.kafka.KafkaConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import zapi.grouproutes.support.EmbeddedKafka;

/**
 * The intake probe's Kafka check connects as the consumer does (camel.component.kafka.*): before, it used
 * the bootstrap servers alone, so on a SASL or TLS cluster it never passed and intake never resumed.
 */
class KafkaBrokerCheckTest {

    @RegisterExtension
    static EmbeddedKafka kafka = new EmbeddedKafka();

    private static KafkaConfiguration plain() {
        KafkaConfiguration configuration = new KafkaConfiguration();
        configuration.setBrokers(kafka.bootstrapServers());
        return configuration;
    }

    @Test
    void aPlaintextClusterAnswers() {
        assertThat(new KafkaBrokerCheck(KafkaBrokerCheckTest::plain).get()).isNull();
    }

    @Test
    void theSecuritySettingsOfTheConsumerReachTheAdminClient() {
        KafkaConfiguration sasl = plain();
        sasl.setSecurityProtocol("SASL_PLAINTEXT");
        sasl.setSaslMechanism("PLAIN");
        sasl.setSaslJaasConfig("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"probe\" password=\"Pr0be-secret\";");
        KafkaBrokerCheck check = new KafkaBrokerCheck(() -> sasl);

        assertThat(check.adminProperties()).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN")
                .containsKey("sasl.jaas.config").containsEntry("bootstrap.servers", kafka.bootstrapServers())
                // consumer-only keys stay with the consumer
                .doesNotContainKey("group.id").doesNotContainKey("key.deserializer");
        // the plaintext broker cannot speak SASL: a probe that really uses the settings fails against it
        // (before: it ignored them and passed, so a SASL cluster's probe could never pass)
        assertThat(check.get()).isNotNull().startsWith("Kafka " + kafka.bootstrapServers() + " does not answer").doesNotContain("Pr0be-secret");
    }
}

package zapi.grouproutes.source;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The Kafka source's bean ({@code kafkaRecords}) and the checks of its settings, before any route starts;
 * nothing when zapi.sources leaves kafka out.
 */
public final class KafkaTopicConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        if (!Boolean.parseBoolean(properties.resolveProperty("zapi.source.kafka.enabled").orElse("false"))) {
            return;
        }
        for (String key : new String[] {"zapi.kafka.brokers", "zapi.kafka.topic", "zapi.kafka.group-id", "zapi.kafka.rejected-topic"}) {
            if (properties.resolveProperty(key).filter(v -> !v.isBlank()).isEmpty()) {
                throw new IllegalArgumentException(key + " is empty: the kafka source needs it");
            }
        }
        String reset = properties.resolveProperty("zapi.kafka.auto-offset-reset").orElse("earliest").strip();
        if (!reset.equals("earliest") && !reset.equals("latest")) {
            throw new IllegalArgumentException("zapi.kafka.auto-offset-reset must be earliest or latest, not '" + reset + "'");
        }
        context.getRegistry().bind("kafkaRecords", new KafkaRecords());
    }
}

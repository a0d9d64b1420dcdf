package zapi.grouproutes.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void aRecordSentIsReadBack() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka().start()) {
            kafka.createTopic("t", 2);
            kafka.send("t", List.of("a", "b", "c"));
            assertThat(kafka.readAll("t", Duration.ofSeconds(2))).extracting(r -> r.value()).containsExactlyInAnyOrder("a", "b", "c");
        }
    }
}

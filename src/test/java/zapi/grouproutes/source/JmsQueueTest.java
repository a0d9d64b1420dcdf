package zapi.grouproutes.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import zapi.grouproutes.zapi.Credentials;

/** What a dead letter and a DEAD_LETTER reply say: the failure, redacted and short, never a token. */
class JmsQueueTest {

    static final String TOKEN = "QuEuEtOkEn5d4f3g";
    static final String CLIENT_TOKEN = "QuEuEcLiEnT7y6u";
    final JmsQueue queue = new JmsQueue("zapi.groups", "zapi.groups.DLQ", 5, new Credentials("inst", TOKEN, CLIENT_TOKEN));

    Exchange failedWith(Throwable cause, String body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    @Test
    void theReasonNamesTheRootCauseWithoutEitherToken() {
        Exchange exchange = failedWith(new IllegalStateException("wrapper",
                new SQLException("value " + TOKEN + " and " + CLIENT_TOKEN + " refused " + "x".repeat(5_000))), "120363019502650977-group");
        String reason = queue.reason(exchange);
        assertThat(reason).startsWith("SQLException: value ").doesNotContain(TOKEN).doesNotContain(CLIENT_TOKEN);
        assertThat(reason.length()).isLessThanOrEqualTo(JmsQueue.MAX_REASON + 3);
    }

    @Test
    void aDeadLetterReplySaysWhereTheMessageWentAndWhy() throws Exception {
        Exchange exchange = failedWith(new IllegalStateException("refused"), "{\"groupId\":\"" + TOKEN + "\"}");
        exchange.getMessage().setHeader("zapiReason", queue.reason(exchange));
        JsonNode reply = new ObjectMapper().readTree(queue.deadLettered(exchange));
        assertThat(reply.get("status").asText()).isEqualTo("DEAD_LETTER");
        assertThat(reply.get("dead_letter_queue").asText()).isEqualTo("zapi.groups.DLQ");
        assertThat(reply.get("error_message").asText()).isEqualTo("IllegalStateException: refused");
        assertThat(reply.toString()).doesNotContain(TOKEN);
    }

    @Test
    void positionsCountTheMessagesTaken() {
        assertThat(queue.entry("120363019502650977-group").line()).isEqualTo(1);
        assertThat(queue.entry("not a group").line()).isEqualTo(2);
        assertThat(queue.entry("not a group").isValid()).isFalse();
    }
}

package zapi.grouproutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import zapi.grouproutes.app.Intake;
import zapi.grouproutes.app.IntakeStatus;

class IntakeHealthCheckTest {

    private final Intake intake = Intake.of("inbox", "kafka", "jms");
    private final IntakeHealthCheck check = new IntakeHealthCheck(intake);

    IntakeHealthCheckTest() {
        check.setCamelContext(new DefaultCamelContext());
    }

    private IntakeStatus status(String source) {
        return intake.source(source).status();
    }

    @Test
    void readinessOnlySoALivenessProbeNeverRestartsTheServiceOverIt() {
        assertThat(check.isReadiness()).isTrue();
        assertThat(check.isLiveness()).isFalse();
        assertThat(check.getId()).isEqualTo("intake");
    }

    @Test
    void downWhileStartingUpOnceRunningEverySourceIsListed() {
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(check.call().getMessage()).get().asString().contains("inbox: intake is starting").contains("kafka: intake is starting");

        intake.running();
        HealthCheck.Result result = check.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getDetails()).containsEntry("intake.state", "RUNNING").containsEntry("intake.inbox.state", "RUNNING")
                .containsEntry("intake.kafka.state", "RUNNING").containsEntry("intake.jms.state", "RUNNING").doesNotContainKey("intake.schedule.state");
    }

    @Test
    void aPausedSourceIsDownAndSaysItResumesByItselfTheOthersStayRunning() {
        intake.running();
        status("jms").paused("Kafka broker not taking events (timeout); check ZAPI_KAFKA_BROKERS and the broker");

        HealthCheck.Result result = check.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).get().asString().startsWith("jms: intake paused since ").contains("Kafka broker not taking events")
                .contains("resumes automatically").doesNotContain("inbox");
        assertThat(result.getDetails()).containsEntry("intake.jms.state", "PAUSED")
                .containsEntry("intake.jms.cause", "Kafka broker not taking events (timeout); check ZAPI_KAFKA_BROKERS and the broker")
                .containsEntry("intake.inbox.state", "RUNNING").containsEntry("intake.kafka.state", "RUNNING")
                .containsEntry("intake.state", "PAUSED").doesNotContainKey("intake.inbox.cause");

        status("jms").running();
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void aStoppedSourceIsDownNamesTheCauseAndTheHumanItNeedsAndOutranksAPause() {
        intake.running();
        status("inbox").paused("Z-API unreachable: 10 groups in a row failed");
        status("kafka").stopped("Client-Token or instance token rejected (HTTP 401: unauthorized)");

        HealthCheck.Result result = check.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).get().asString().contains("kafka: intake stopped since ")
                .contains("Client-Token or instance token rejected (HTTP 401: unauthorized)").contains("restart the service")
                .contains("inbox: intake paused since ");
        assertThat(result.getDetails()).containsEntry("intake.kafka.state", "STOPPED").containsEntry("intake.inbox.state", "PAUSED")
                .containsEntry("intake.state", "STOPPED").containsEntry("intake.cause", "Client-Token or instance token rejected (HTTP 401: unauthorized)");

        // a probe that sees Z-API answer resumes the paused source; the stopped one stays stopped
        status("inbox").running();
        status("kafka").running();
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(check.call().getDetails()).containsEntry("intake.kafka.state", "STOPPED").containsEntry("intake.inbox.state", "RUNNING");
    }
}

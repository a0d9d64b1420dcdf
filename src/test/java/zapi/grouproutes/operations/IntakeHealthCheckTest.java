package zapi.grouproutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import zapi.grouproutes.app.IntakeStatus;

class IntakeHealthCheckTest {

    private final IntakeStatus intake = new IntakeStatus();
    private final IntakeHealthCheck check = new IntakeHealthCheck(intake);

    IntakeHealthCheckTest() {
        check.setCamelContext(new DefaultCamelContext());
    }

    @Test
    void readinessOnlySoALivenessProbeNeverRestartsTheServiceOverIt() {
        assertThat(check.isReadiness()).isTrue();
        assertThat(check.isLiveness()).isFalse();
        assertThat(check.getId()).isEqualTo("intake");
    }

    @Test
    void downWhileStartingUpOnceRunning() {
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(check.call().getMessage()).hasValue("intake is starting");

        intake.running();
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(check.call().getDetails()).containsEntry("intake.state", "RUNNING");
    }

    @Test
    void aPauseIsDownAndSaysItResumesByItself() {
        intake.running();
        intake.paused("Z-API unreachable: 10 groups in a row failed");

        HealthCheck.Result result = check.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).get().asString().contains("intake paused since ").contains("Z-API unreachable: 10 groups in a row failed")
                .contains("resumes automatically");
        assertThat(result.getDetails()).containsEntry("intake.state", "PAUSED").containsEntry("intake.cause", "Z-API unreachable: 10 groups in a row failed");

        intake.running();
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void aStopIsDownAndNamesTheCauseAndTheHumanItNeeds() {
        intake.running();
        intake.stopped("Client-Token or instance token rejected (HTTP 401: unauthorized)");

        HealthCheck.Result result = check.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).get().asString().contains("intake stopped since ")
                .contains("Client-Token or instance token rejected (HTTP 401: unauthorized)").contains("restart the service");
        assertThat(result.getDetails()).containsEntry("intake.state", "STOPPED");
    }
}

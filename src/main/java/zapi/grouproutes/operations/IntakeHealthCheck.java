package zapi.grouproutes.operations;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import zapi.grouproutes.app.IntakeStatus;

/**
 * The readiness check "intake": UP while the sources take input; DOWN with the cause while intake is
 * paused (it resumes by itself) or stopped (a human must act). Readiness only: a restart fixes neither,
 * so a liveness probe must not kill the process over it.
 */
public final class IntakeHealthCheck extends AbstractHealthCheck {

    private final IntakeStatus intake;

    public IntakeHealthCheck(IntakeStatus intake) {
        super("zapi", "intake");
        this.intake = intake;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        IntakeStatus.Reading now = intake.read();
        Instant since = now.since().truncatedTo(ChronoUnit.SECONDS);
        builder.detail("intake.state", now.state().name());
        builder.detail("intake.since", since.toString());
        if (now.cause() != null) {
            builder.detail("intake.cause", now.cause());
        }
        switch (now.state()) {
            case RUNNING -> builder.up();
            case STARTING -> builder.message("intake is starting").down();
            case PAUSED -> builder.message("intake paused since " + since + ": " + now.cause() + "; it resumes automatically").down();
            case STOPPED -> builder.message("intake stopped since " + since + ": " + now.cause()
                    + "; it needs an operator: fix the cause, then restart the service").down();
            default -> throw new IllegalStateException("unknown intake state " + now.state());
        }
    }
}

package zapi.grouproutes.operations;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import zapi.grouproutes.app.Intake;
import zapi.grouproutes.app.IntakeStatus;
import zapi.grouproutes.app.Source;

/**
 * The readiness check "intake": UP while every enabled source takes input; DOWN while any is starting,
 * paused (it resumes by itself) or stopped (a human must act). Each source is listed with its own state,
 * cause and since ({@code intake.<source>.state}, ...); {@code intake.state} and {@code intake.cause} are
 * those of the source that is furthest from running (stopped before paused before starting). Readiness
 * only: a restart fixes neither, so a liveness probe must not kill the process over it.
 */
public final class IntakeHealthCheck extends AbstractHealthCheck {

    private final Intake intake;

    public IntakeHealthCheck(Intake intake) {
        super("zapi", "intake");
        this.intake = intake;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> notRunning = new ArrayList<>();
        Source worst = null;
        for (Source source : intake.sources()) {
            IntakeStatus.Reading now = source.status().read();
            String key = "intake." + source.name() + ".";
            builder.detail(key + "state", now.state().name());
            builder.detail(key + "since", now.since().truncatedTo(ChronoUnit.SECONDS).toString());
            if (now.cause() != null) {
                builder.detail(key + "cause", now.cause());
            }
            if (now.state() != IntakeStatus.State.RUNNING) {
                notRunning.add(describe(source.name(), now));
            }
            if (worst == null || severity(now.state()) > severity(worst.status().state())) {
                worst = source;
            }
        }
        if (worst == null) {
            builder.detail("intake.state", IntakeStatus.State.RUNNING.name());
            builder.up();
            return;
        }
        IntakeStatus.Reading summary = worst.status().read();
        builder.detail("intake.state", summary.state().name());
        builder.detail("intake.since", summary.since().truncatedTo(ChronoUnit.SECONDS).toString());
        if (summary.cause() != null) {
            builder.detail("intake.cause", summary.cause());
        }
        if (notRunning.isEmpty()) {
            builder.up();
        } else {
            notRunning.sort(Comparator.naturalOrder());
            builder.message(String.join("; ", notRunning)).down();
        }
    }

    private static String describe(String source, IntakeStatus.Reading now) {
        Instant since = now.since().truncatedTo(ChronoUnit.SECONDS);
        return switch (now.state()) {
            case STARTING -> source + ": intake is starting";
            case PAUSED -> source + ": intake paused since " + since + ": " + now.cause() + "; it resumes automatically";
            case STOPPED -> source + ": intake stopped since " + since + ": " + now.cause()
                    + "; it needs an operator: fix the cause, then restart the service";
            case RUNNING -> source + ": intake running";
        };
    }

    /** Stopped needs a person, so it outranks a pause, which outranks startup. */
    private static int severity(IntakeStatus.State state) {
        return switch (state) {
            case RUNNING -> 0;
            case STARTING -> 1;
            case PAUSED -> 2;
            case STOPPED -> 3;
        };
    }
}

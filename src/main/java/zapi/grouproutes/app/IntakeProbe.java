package zapi.grouproutes.app;

import java.time.Duration;
import java.time.Instant;

import java.util.List;

import org.apache.camel.throttling.ThrottlingExceptionHalfOpenHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.database.Database;
import zapi.grouproutes.intake.Failure;
import zapi.grouproutes.zapi.ZapiClient;
import zapi.grouproutes.zapi.ZapiOutage;

/**
 * Service mode: a batch that stopped on a cause that heals by itself (Z-API unreachable after retries, the
 * database down past its retries) pauses intake instead of stopping it for good. Camel's circuit-breaker
 * route policy ({@link #pausePolicy}, the inbox route's {@code intakePause}) suspends the inbox consumer
 * (the input stays in the inbox, its run INCOMPLETE); every probe interval its half-open check, this class,
 * asks Z-API's /status and pings the database, backing off between probes, and lets the policy resume the
 * consumer once both answer. The same input is then picked up again and resumes. Causes that need a person
 * (credentials refused, both methods refused, ...) are not the policy's: they stop the route (Source.stop).
 * One probe per source, with that source's status: each source pauses and resumes on its own.
 * One request per probe, outside the rate limit: it is the only Z-API traffic while paused.
 */
public final class IntakeProbe implements ThrottlingExceptionHalfOpenHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeProbe.class);

    private final String source;
    private final ZapiClient zapi;
    private final Database database;
    private final ZapiOutage outage;
    private final IntakeStatus intake;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private Instant pauseSeen;
    private Duration delay;
    private Instant nextProbe;

    private java.util.function.Supplier<String> broker;

    /** With the topic sink or the Kafka source: the broker must answer too before intake resumes. */
    IntakeProbe alsoChecking(java.util.function.Supplier<String> brokerProblem) {
        this.broker = brokerProblem;
        return this;
    }

    /** @param database null without the database sink */
    public IntakeProbe(String source, ZapiClient zapi, Database database, ZapiOutage outage, IntakeStatus intake, Duration firstDelay,
            Duration maxDelay) {
        this.source = source;
        this.zapi = zapi;
        this.database = database;
        this.outage = outage;
        this.intake = intake;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /** One stopped batch is enough to pause: its groups' own retries already told a blip from an outage. */
    static IntakePause pausePolicy(IntakeProbe probe, long probeIntervalMillis) {
        // the causes Failure classifies as transient, and only those: a pause and its classification agree
        IntakePause policy = new IntakePause(1, Duration.ofHours(1).toMillis(), probeIntervalMillis,
                List.copyOf(Failure.TRANSIENT_CAUSES));
        policy.setHalfOpenHandler(probe);
        return policy;
    }

    @Override
    public synchronized boolean isReadyToBeClosed() {
        Instant now = Instant.now();
        if (!intake.since().equals(pauseSeen)) {
            // a new pause: the backoff starts over
            pauseSeen = intake.since();
            delay = firstDelay;
            nextProbe = now;
        }
        if (now.isBefore(nextProbe)) {
            return false;
        }
        String problem = zapi.problemReachingInstance();
        if (problem != null) {
            problem = "Z-API: " + problem;
        } else if (database != null) {
            String db = database.problemReaching();
            problem = db == null ? null : "database " + database.settings().safeUrl() + ": " + db;
        }
        if (problem == null && broker != null) {
            problem = broker.get();
        }
        if (problem == null) {
            outage.reset();
            List<String> answering = new java.util.ArrayList<>(List.of("Z-API"));
            if (database != null) {
                answering.add("the database");
            }
            if (broker != null) {
                answering.add("Kafka");
            }
            String who = answering.size() == 1 ? answering.get(0)
                    : String.join(", ", answering.subList(0, answering.size() - 1)) + " and " + answering.get(answering.size() - 1);
            LOG.info("Intake resumed: {} answer again after {} s paused ({})", who, Duration.between(intake.since(), now).toSeconds(), source);
            intake.running();
            return true;
        }
        delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        nextProbe = now.plus(delay);
        LOG.warn("Intake still paused ({}); next probe of {} in about {} s", problem, source, Math.max(delay.toSeconds(), 1));
        return false;
    }
}

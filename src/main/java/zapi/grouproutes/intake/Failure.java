package zapi.grouproutes.intake;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;

import zapi.grouproutes.RootCause;
import zapi.grouproutes.batch.BatchInterruptedException;
import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.enrichment.RotationGuard;
import zapi.grouproutes.zapi.Credentials;
import zapi.grouproutes.zapi.ZapiSystematicException;
import zapi.grouproutes.zapi.ZapiUnreachableException;

/**
 * Why a unit of work could not finish, classified once, here, for every source: what kind of failure it
 * is and the one line that names its cause (secrets removed). The unit of work then decides what the kind
 * does to its input and its source (see {@link UnitOfWork#failed}); nothing else looks at exception types
 * to decide between pausing, stopping and dead-lettering.
 *
 * <p>Failures about one group (a 404, a 5xx that its retries did not get past) never come here: they settle
 * the group as FAILED or PARTIAL (routes/error-handling/zapi-retries and group-failures) and the unit goes on.
 */
public record Failure(Kind kind, String reason, Throwable cause) {

    /** What a failure asks of the source, the same for every source. */
    public enum Kind {
        /** Passes by itself: Z-API unreachable, the database or the Kafka broker down. Pause, probe, resume. */
        TRANSIENT,
        /** Will fail the same way until a person acts: credentials refused, both link methods refused, a rotate cap. Stop. */
        PERSON_NEEDED,
        /** About this unit's own content (a result the database refuses, say): another unit may well pass. */
        BAD_INPUT,
        /** The service is stopping: the unit is not acknowledged and comes again on the next start. */
        SHUTDOWN
    }

    /**
     * The causes that pass by themselves. The pause policies of the sources (IntakeProbe.pausePolicy) count
     * exactly these, so a pause and its classification cannot disagree.
     */
    public static final List<Class<? extends Throwable>> TRANSIENT_CAUSES = List.of(
            ZapiUnreachableException.class,
            DatabaseUnavailableException.class,
            // the broker of the topic sink or of the Kafka source: timeouts, no leader, not enough replicas
            org.apache.kafka.common.errors.RetriableException.class,
            // a poll's commit came too late or during a rebalance: the poll is read again, by this member or
            // another; nothing for a person to do
            org.apache.kafka.clients.consumer.CommitFailedException.class,
            org.apache.kafka.common.errors.RebalanceInProgressException.class);

    /** The failure an exchange carries: the exception an error handler caught, or the one it still has. */
    public static Failure of(Exchange exchange, Credentials credentials) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable cause = caught != null ? caught : exchange.getException();
        Failure failure = of(cause, credentials);
        if (failure.kind() != Kind.SHUTDOWN && exchange.getContext().isStopping()) {
            // a unit cut short by the shutdown: whatever it failed with, it is not acknowledged and comes again
            return new Failure(Kind.SHUTDOWN, failure.reason(), cause);
        }
        return failure;
    }

    public static Failure of(Throwable cause, Credentials credentials) {
        return new Failure(kindOf(cause), credentials.redact(describe(cause)), cause);
    }

    static Kind kindOf(Throwable cause) {
        if (cause == null) {
            return Kind.BAD_INPUT;
        }
        if (ObjectHelper.getException(BatchInterruptedException.class, cause) != null) {
            return Kind.SHUTDOWN;
        }
        for (Class<? extends Throwable> type : TRANSIENT_CAUSES) {
            if (ObjectHelper.getException(type, cause) != null) {
                return Kind.TRANSIENT;
            }
        }
        if (ObjectHelper.getException(ZapiSystematicException.class, cause) != null
                || ObjectHelper.getException(RotationGuard.RotationRefusedException.class, cause) != null) {
            return Kind.PERSON_NEEDED;
        }
        return Kind.BAD_INPUT;
    }

    public boolean is(Kind kind) {
        return this.kind == kind;
    }

    /** The systematic or outage cause if there is one (it names the fix), else the exception's own type and message. */
    public static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RetriableException) {
                String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().replaceAll("\\.+$", "");
                return "Kafka broker not taking events (" + message + "); check ZAPI_KAFKA_BROKERS and the broker";
            }
            if (t instanceof ZapiSystematicException || t instanceof ZapiUnreachableException || t instanceof DatabaseUnavailableException
                    || t instanceof BatchInterruptedException || t instanceof RotationGuard.RotationRefusedException) {
                return t.getMessage();
            }
        }
        if (cause == null) {
            return "unknown cause";
        }
        return RootCause.describe(cause);
    }
}

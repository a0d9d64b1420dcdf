package zapi.grouproutes.enrichment;

import java.time.Clock;
import java.util.List;

import org.apache.camel.Exchange;

import zapi.grouproutes.batch.Batch;

import zapi.grouproutes.intake.UnitOfWork;
import zapi.grouproutes.zapi.PermitLine;
import zapi.grouproutes.zapi.ZapiCallFailedException;
import zapi.grouproutes.zapi.ZapiClient;
import zapi.grouproutes.zapi.ZapiException;
import zapi.grouproutes.zapi.ZapiOutage;
import zapi.grouproutes.zapi.ZapiTransientException;

/** The steps of {@code routes/enrichment}: each moves a {@link GroupResult} one stage on. */
public final class GroupLookup {

    /** Where an earlier run of the same input stored what it fetched (the database sink). */
    public interface StoredResults {
        /** Settles the result as the OK one stored by one of these runs, if there is one; true when it did. */
        boolean restore(GroupResult result, List<String> runIds) throws Exception;
    }

    private final ZapiClient zapi;
    private final ZapiOutage outage;
    private final StoredResults stored;
    private final Clock clock;

    /** @param stored null without the database sink: nothing is stored, so an interrupted input starts over */
    public GroupLookup(ZapiClient zapi, ZapiOutage outage, StoredResults stored, Clock clock) {
        this.zapi = zapi;
        this.outage = outage;
        this.stored = stored;
        this.clock = clock;
    }

    public GroupResult start(zapi.grouproutes.group.ListedGroup entry) {
        return GroupResult.of(entry);
    }

    /**
     * A dry-run rotate tick: nothing is revoked. The guard counts the group as a real tick would, and the
     * current link is fetched next (a check), so the rotation report shows the link that would go.
     */
    public void planRotation(GroupResult result, RotationGuard guard) {
        guard.allow(result);
        result.rotationPlanned();
    }

    /**
     * Resume: a group an unfinished earlier run of this input fetched OK is not fetched again. In a rotate
     * tick that run rotated it (a recovered tick): its new link goes in this tick's rotation report.
     */
    public void resume(GroupResult result, Batch batch, String action) throws Exception {
        if (stored != null && batch != null && !batch.earlierAttempts().isEmpty() && !result.isSettled()
                && stored.restore(result, batch.earlierAttempts())) {
            batch.resumed();
            if ("rotate".equals(action)) {
                result.restoredRotation();
            }
        }
    }

    public void invitationLink(GroupResult result, Exchange exchange) {
        String link = zapi.inLane(lane(exchange), () -> zapi.fetchInvitationLink(result.entry().groupId()));
        result.linkFetched(link, clock.instant());
    }

    /**
     * A rotate tick's first call instead of {@link #invitationLink}: Z-API revokes the group's link and
     * issues a new one. The tick's guard says yes first (never twice for one group in one tick, at most
     * zapi.rotate.max-groups); a retry of the same call after a failed attempt is not a second rotation.
     */
    public void rotate(GroupResult result, RotationGuard guard) {
        guard.allow(result);
        String link;
        try {
            link = zapi.redefineInvitationLink(result.entry().groupId());
        } catch (ZapiTransientException e) {
            // the request may have reached Z-API and revoked the link before the answer was lost; a 429 was
            // turned away before any work
            if (!e.rateLimited()) {
                result.rotationMayHaveHappened();
            }
            throw e;
        } catch (ZapiCallFailedException e) {
            // a 200 without a usable link: Z-API did something; any other refusal revoked nothing
            if ("200".equals(e.errorCode())) {
                result.rotationMayHaveHappened();
            }
            throw e;
        }
        result.linkRedefined(link, clock.instant());
    }

    /**
     * A rotate tick's group the database holds no link for: its current link, asked first (the same call,
     * budget and retries as every invitation link), so the rotation report shows the link that goes.
     */
    public void linkBeforeRotation(GroupResult result) {
        if (result.linkBefore() == null) {
            result.linkBeforeAsked(zapi.fetchInvitationLink(result.entry().groupId()), clock.instant());
        }
    }

    public void metadata(GroupResult result, Exchange exchange) {
        result.metadataFetched(zapi.inLane(lane(exchange), () -> zapi.fetchMetadata(result.invitationLink())), clock.instant());
    }

    /** The lane the exchange's unit of work takes permits in: an API lookup's go first (PermitLine). */
    private static PermitLine.Lane lane(Exchange exchange) {
        UnitOfWork unit = UnitOfWork.of(exchange);
        return unit == null ? PermitLine.Lane.BATCH : unit.lane();
    }

    /** The routes' error handler settles a group whose call failed for good; the outage guard learns of it. */
    public void failure(GroupResult result, Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (cause instanceof ZapiTransientException transientFailure) {
            outage.gaveUp(transientFailure);
        }
        if (cause instanceof ZapiException zapiFailure) {
            result.failed(zapiFailure.errorCode(), zapiFailure.getMessage(), clock.instant());
        } else {
            // not a Z-API answer: say what broke without echoing a message that could carry a URL
            result.failed("INTERNAL", cause == null ? "unknown failure" : cause.getClass().getSimpleName(), clock.instant());
        }
    }
}

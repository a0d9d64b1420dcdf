package zapi.grouproutes.enrichment;

import java.time.Clock;
import java.util.List;

import org.apache.camel.Exchange;

import zapi.grouproutes.batch.Batch;

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

    /** Resume: a group an unfinished earlier run of this input fetched OK is not fetched again. */
    public void resume(GroupResult result, Batch batch) throws Exception {
        if (stored != null && batch != null && !batch.earlierAttempts().isEmpty() && !result.isSettled()
                && stored.restore(result, batch.earlierAttempts())) {
            batch.resumed();
        }
    }

    public void invitationLink(GroupResult result) {
        result.linkFetched(zapi.fetchInvitationLink(result.entry().groupId()));
    }

    public void metadata(GroupResult result) {
        result.metadataFetched(zapi.fetchMetadata(result.invitationLink()), clock.instant());
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

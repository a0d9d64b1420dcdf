package zapi.grouproutes.enrichment;

import java.time.Clock;

import org.apache.camel.Exchange;

import zapi.grouproutes.zapi.ZapiClient;
import zapi.grouproutes.zapi.ZapiException;
import zapi.grouproutes.zapi.ZapiOutage;
import zapi.grouproutes.zapi.ZapiTransientException;

/** The steps of {@code routes/enrichment}: each moves a {@link GroupResult} one stage on. */
public final class GroupLookup {

    private final ZapiClient zapi;
    private final ZapiOutage outage;
    private final Clock clock;

    public GroupLookup(ZapiClient zapi, ZapiOutage outage, Clock clock) {
        this.zapi = zapi;
        this.outage = outage;
        this.clock = clock;
    }

    public GroupResult start(zapi.grouproutes.group.ListedGroup entry) {
        return GroupResult.of(entry);
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

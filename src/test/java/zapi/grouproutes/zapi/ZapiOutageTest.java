package zapi.grouproutes.zapi;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The outage guard's count: per call, and blind to rate limits. */
class ZapiOutageTest {

    static final String LINK = "group-invitation-link";
    static final String METADATA = "group-invitation-metadata";

    private static ZapiTransientException down(String operation) {
        return new ZapiTransientException(operation, operation + " failed: HTTP 503: down", "503", "down", null);
    }

    @Test
    void aMetadataCallThatIsDownIsSeenWhileTheLinkCallWorks() {
        ZapiOutage outage = new ZapiOutage(3);
        for (int group = 0; group < 3; group++) {
            outage.answered(LINK);
            outage.gaveUp(down(METADATA));
        }
        assertThatThrownBy(outage::ensureReachable).isInstanceOf(ZapiUnreachableException.class)
                .hasMessageStartingWith("Z-API unreachable: 3 groups in a row failed after all retries (last: group-invitation-metadata");
    }

    @Test
    void anAnswerResetsOnlyItsOwnCall() {
        ZapiOutage outage = new ZapiOutage(2);
        outage.gaveUp(down(METADATA));
        outage.answered(METADATA);
        outage.gaveUp(down(METADATA));
        assertThatCode(outage::ensureReachable).doesNotThrowAnyException();
        outage.gaveUp(down(METADATA));
        assertThatThrownBy(outage::ensureReachable).isInstanceOf(ZapiUnreachableException.class);
        outage.reset();
        assertThatCode(outage::ensureReachable).doesNotThrowAnyException();
    }

    @Test
    void rateLimitsAreNoOutage() {
        ZapiOutage outage = new ZapiOutage(2);
        for (int group = 0; group < 5; group++) {
            outage.gaveUp(new ZapiTransientException(LINK, "rate limited (HTTP 429)", "429", "Too many requests", null));
        }
        assertThatCode(outage::ensureReachable).doesNotThrowAnyException();
    }
}

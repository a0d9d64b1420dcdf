package zapi.grouproutes.enrichment;

import java.time.Instant;
import java.util.List;

import zapi.grouproutes.group.ListedGroup;
import zapi.grouproutes.zapi.GroupMetadata;
import zapi.grouproutes.zapi.Participant;

/** Settled results as enrichment would hand them to the sinks, for tests of the sinks alone. */
public final class Results {

    private Results() {
    }

    public static GroupResult ok(String groupId, String link, GroupMetadata metadata, Instant at) {
        GroupResult result = GroupResult.of(ListedGroup.of(groupId, 1));
        result.linkFetched(link, at);
        result.metadataFetched(metadata, at);
        return result;
    }

    public static GroupResult partial(String groupId, String link, String code, String message, Instant at) {
        GroupResult result = GroupResult.of(ListedGroup.of(groupId, 1));
        result.linkFetched(link, at);
        result.failed(code, message, at);
        return result;
    }

    public static GroupResult failed(String groupId, String code, String message, Instant at) {
        GroupResult result = GroupResult.of(ListedGroup.of(groupId, 1));
        result.failed(code, message, at);
        return result;
    }

    /** A rotate tick's group whose redefine was sent and whose answer was lost: FAILED, and the link may be revoked. */
    public static GroupResult rotationLost(String groupId, String code, String message, Instant at) {
        GroupResult result = GroupResult.of(ListedGroup.of(groupId, 1));
        result.rotationMayHaveHappened();
        result.failed(code, message, at);
        return result;
    }

    public static GroupMetadata metadata(String subject, String description, List<Participant> participants) {
        return new GroupMetadata(null, "5511999990000", subject, description, 1_588_721_491_000L, null, participants.size() - 1,
                participants.size(), participants, 1_588_807_891_000L, "5511999990000", null, null);
    }

    public static Participant member(String phone, boolean admin, boolean superAdmin) {
        return new Participant(phone, admin, superAdmin, null, null);
    }
}

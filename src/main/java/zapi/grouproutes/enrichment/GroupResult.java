package zapi.grouproutes.enrichment;

import java.time.Instant;

import zapi.grouproutes.group.ListedGroup;
import zapi.grouproutes.zapi.GroupMetadata;

/**
 * One entry's way through enrichment: it starts from a listed entry, gains a link, then metadata, and
 * ends with an {@link Outcome}. One worker owns it at a time; sinks read it once it is settled.
 */
public final class GroupResult {

    private final ListedGroup entry;
    private Outcome outcome;
    private String invitationLink;
    private GroupMetadata metadata;
    private String errorCode;
    private String errorMessage;
    private Instant fetchedAt;
    private boolean resumed;
    private String previousLink;
    private Instant previousSeenAt;
    private Instant rotatedAt;
    private Instant linkChecked;
    private boolean rotationPlanned;

    private GroupResult(ListedGroup entry) {
        this.entry = entry;
    }

    /** A valid entry awaits enrichment; an invalid one is settled as REJECTED at once. */
    public static GroupResult of(ListedGroup entry) {
        GroupResult result = new GroupResult(entry);
        if (!entry.isValid()) {
            result.outcome = Outcome.REJECTED;
            result.errorCode = "INVALID_GROUP_ID";
            result.errorMessage = "line " + entry.line() + ": " + entry.rejection();
        }
        return result;
    }

    void linkFetched(String link, Instant at) {
        this.invitationLink = link;
        this.linkChecked = at;
    }

    void metadataFetched(GroupMetadata metadata, Instant at) {
        this.metadata = metadata;
        this.outcome = Outcome.OK;
        this.fetchedAt = at;
    }

    /**
     * The OK result an earlier, unfinished run of the same input fetched and stored: reused instead of
     * fetched again, with the time it was fetched.
     */
    public void restored(String link, GroupMetadata storedMetadata, Instant at) {
        this.invitationLink = link;
        this.metadata = storedMetadata;
        this.outcome = Outcome.OK;
        this.fetchedAt = at;
        this.resumed = true;
    }

    /**
     * The database sink found a different link stored for this group before this result: the link was
     * rotated (here or in WhatsApp). Sinks after it (the topic) announce the change.
     */
    public void linkReplaced(String previous, Instant lastSeenAt) {
        this.previousLink = previous;
        this.previousSeenAt = lastSeenAt;
    }

    /** When the replaced link was last seen before this result (its history row's last_seen_at), or null. */
    public Instant previousSeenAt() {
        return previousSeenAt;
    }

    /** A rotate tick: Z-API revoked the group's link and issued this one (redefine-invitation-link). */
    void linkRedefined(String link, Instant at) {
        this.invitationLink = link;
        this.rotatedAt = at;
    }

    /** A dry-run rotate tick: this group's current link is the one a real rotate tick would revoke. */
    void rotationPlanned() {
        this.rotationPlanned = true;
    }

    public boolean isRotationPlanned() {
        return rotationPlanned;
    }

    /** When this tick rotated the link (redefine answered), or null when it did not rotate it. */
    public Instant rotatedAt() {
        return rotatedAt;
    }

    /** When the link call of this result answered: the moment a link changed elsewhere was first seen. */
    public Instant linkSeenAt() {
        return rotatedAt != null ? rotatedAt : linkChecked;
    }

    /** The link stored before this result when it differs from this one, else null. */
    public String previousLink() {
        return previousLink;
    }

    /** True when this result was restored from an earlier run rather than fetched now (the database has it already). */
    public boolean isResumed() {
        return resumed;
    }

    void failed(String code, String message, Instant at) {
        this.outcome = invitationLink != null ? Outcome.PARTIAL : Outcome.FAILED;
        this.errorCode = code;
        this.errorMessage = message;
        this.fetchedAt = at;
    }

    /** True once the outcome is known; later steps leave a settled result alone. */
    public boolean isSettled() {
        return outcome != null;
    }

    public boolean isRejected() {
        return outcome == Outcome.REJECTED;
    }

    public ListedGroup entry() {
        return entry;
    }

    /** The normalized group ID, or the raw input of a rejected entry. */
    public String groupId() {
        return entry.isValid() ? entry.groupId().value() : entry.raw();
    }

    public Outcome outcome() {
        return outcome;
    }

    public String invitationLink() {
        return invitationLink;
    }

    /** Null unless the outcome is OK. */
    public GroupMetadata metadata() {
        return metadata;
    }

    public String errorCode() {
        return errorCode;
    }

    public String errorMessage() {
        return errorMessage;
    }

    /** When Z-API last answered for this group; null for REJECTED. */
    public Instant fetchedAt() {
        return fetchedAt;
    }

    @Override
    public String toString() {
        return "GroupResult[" + groupId() + " " + outcome + (errorCode == null ? "" : " " + errorCode) + "]";
    }
}

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
    private String linkBefore;
    private Instant linkBeforeSeenAt;
    private boolean linkBeforeAsked;
    private boolean rotationUnknown;
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

    /** A restored result of a rotate tick: the earlier run rotated the link (when it stored it). */
    void restoredRotation() {
        this.rotatedAt = fetchedAt;
    }

    /**
     * The group's link before this result, as the database holds it (deliver-result reads it before any
     * sink writes; a rotate tick before its redefine), and when it was last seen. A different link in
     * this result is a link change: the topic announces it, a tick's rotation report lists it.
     */
    public void linkBefore(String link, Instant lastSeenAt) {
        this.linkBefore = link;
        this.linkBeforeSeenAt = lastSeenAt;
        this.linkBeforeAsked = false;
    }

    /**
     * A rotate tick's group the database held no link for: the link about to be revoked, asked of Z-API
     * first, so that the rotation report (and the link history) has it too.
     */
    void linkBeforeAsked(String link, Instant at) {
        this.linkBefore = link;
        this.linkBeforeSeenAt = at;
        this.linkBeforeAsked = true;
    }

    /** The link before this result when it was asked of Z-API (not stored yet), else null. */
    public String linkAskedBefore() {
        return linkBeforeAsked ? linkBefore : null;
    }

    /** The link the database held before this result (or that was asked before a rotation), or null. */
    public String linkBefore() {
        return linkBefore;
    }

    /** When the link before this result was last seen (its history row's last_seen_at), or null. */
    public Instant previousSeenAt() {
        return linkBeforeSeenAt;
    }

    /**
     * A redefine of this group was sent and no answer came back that says what happened (the connection
     * dropped, a timeout, a 5xx, a 200 without a link): Z-API may have revoked the link.
     */
    void rotationMayHaveHappened() {
        this.rotationUnknown = true;
    }

    /**
     * True when this result has no new link and its redefine may have revoked the old one: the database
     * keeps that link as possibly revoked, never as current, until a later look settles it.
     */
    public boolean isRotationUnknown() {
        return rotationUnknown && invitationLink == null;
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

    /**
     * When this tick rotated the link (redefine answered; for a group an earlier, unfinished run of the
     * same tick rotated: when that run stored it), or null when it did not rotate it.
     */
    public Instant rotatedAt() {
        return rotatedAt;
    }

    /** When the link call of this result answered: the moment a link changed elsewhere was first seen. */
    public Instant linkSeenAt() {
        return rotatedAt != null ? rotatedAt : linkChecked;
    }

    /** The link before this result when this one brings a different link, else null. */
    public String previousLink() {
        return invitationLink != null && linkBefore != null && !linkBefore.equals(invitationLink) ? linkBefore : null;
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

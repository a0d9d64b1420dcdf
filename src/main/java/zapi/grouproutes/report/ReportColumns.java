package zapi.grouproutes.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.zapi.GroupMetadata;
import zapi.grouproutes.zapi.Participant;

/** The report's columns, in order, and how a result fills them. Changing this changes the contract. */
public final class ReportColumns {

    public static final List<String> GROUPS = List.of("group_id", "status", "invitation_link", "subject", "description",
            "owner", "created_at", "participants_count", "contacts_count", "admins_count", "subject_owner", "subject_time",
            "fetched_at", "error_code", "error_message");

    public static final List<String> PARTICIPANTS = List.of("group_id", "phone", "is_admin", "is_super_admin");

    /**
     * A schedule tick's rotation report: each group whose link differs from the one before the tick, or may
     * have been revoked by it. {@code change} says which: {@link #ROTATED}, {@link #CHANGED},
     * {@link #UNKNOWN} or, in a dry run, {@link #WOULD_ROTATE}.
     */
    /** A tick's left report (zapi.schedule.groups=instance): the groups it marked LEFT. */
    public static final List<String> LEFT = List.of("group_id", "left_at", "last_listed_at");
    public static final List<String> ROTATIONS = List.of("group_id", "subject", "previous_link", "new_link", "previous_seen_at",
            "rotated_at", "change");
    /** The tick (or, for a recovered tick, its dead run) revoked previous_link and Z-API answered new_link. */
    public static final String ROTATED = "rotated";
    /** The link changed outside this product since it was last seen; rotated_at is when this tick first saw the new one. */
    public static final String CHANGED = "changed";
    /** A redefine was sent and its answer lost: previous_link may be revoked, new_link is unknown (empty). */
    public static final String UNKNOWN = "unknown";
    /** A dry run: previous_link is the link a real rotate tick would revoke. */
    public static final String WOULD_ROTATE = "would-rotate";

    private ReportColumns() {
    }

    public static List<String> groupRow(GroupResult r) {
        GroupMetadata m = r.metadata();
        return Arrays.asList(
                text(r.groupId()),
                r.outcome().name(),
                text(r.invitationLink()),
                m == null ? null : text(m.subject()),
                m == null ? null : text(m.description()),
                m == null ? null : text(m.owner()),
                m == null ? null : isoMillis(m.creation()),
                m == null ? null : number(m.participantsCount()),
                m == null ? null : number(m.contactsCount()),
                m == null ? null : String.valueOf(m.adminsCount()),
                m == null ? null : text(m.effectiveSubjectOwner()),
                m == null ? null : isoMillis(m.effectiveSubjectTime()),
                iso(r.fetchedAt()),
                text(r.errorCode()),
                text(r.errorMessage()));
    }

    public static List<String> participantRow(GroupResult r, Participant p) {
        return Arrays.asList(text(r.groupId()), text(p.phone()),
                String.valueOf(Boolean.TRUE.equals(p.isAdmin())), String.valueOf(Boolean.TRUE.equals(p.isSuperAdmin())));
    }

    /**
     * The result's rotation row, or null when its link did not change: rotated by this tick (or by the dead
     * run a recovered tick resumes), changed in WhatsApp since the last fetch (rotated_at is then when this
     * tick first saw the new link), possibly revoked by a redefine whose answer was lost (new_link and
     * rotated_at empty), or, in a dry run, the link a real rotate tick would revoke (new_link and rotated_at
     * empty).
     */
    public static List<String> rotationRow(GroupResult r) {
        String subject = r.metadata() == null ? null : text(r.metadata().subject());
        if (r.previousLink() != null) {
            return Arrays.asList(text(r.groupId()), subject, text(r.previousLink()), text(r.invitationLink()), iso(r.previousSeenAt()),
                    iso(r.linkSeenAt()), r.rotatedAt() != null ? ROTATED : CHANGED);
        }
        if (r.isRotationUnknown() && r.linkBefore() != null) {
            return Arrays.asList(text(r.groupId()), subject, text(r.linkBefore()), null, iso(r.previousSeenAt()), null, UNKNOWN);
        }
        if (r.isRotationPlanned() && r.invitationLink() != null) {
            return Arrays.asList(text(r.groupId()), subject, text(r.invitationLink()), null, iso(r.linkSeenAt()), null, WOULD_ROTATE);
        }
        return null;
    }

    /** ISO-8601 UTC to the second, e.g. {@code 2020-05-05T23:31:31Z}. */
    public static String iso(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String isoMillis(Long epochMillis) {
        return epochMillis == null ? null : iso(Instant.ofEpochMilli(epochMillis));
    }

    private static String number(Integer n) {
        return n == null ? null : n.toString();
    }

    private static String text(String s) {
        return SpreadsheetText.neutralize(s);
    }
}

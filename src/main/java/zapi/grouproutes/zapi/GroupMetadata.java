package zapi.grouproutes.zapi;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * Body of {@code /group-invitation-metadata}. Every field may be missing or null; unknown fields are
 * ignored. {@code subjectTime}/{@code subjectOwner} are documented under participants but sent at the
 * top level: {@link #effectiveSubjectTime()} and {@link #effectiveSubjectOwner()} look in both places.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupMetadata(
        @JsonDeserialize(using = Lenient.Text.class) String phone,
        @JsonDeserialize(using = Lenient.Text.class) String owner,
        @JsonDeserialize(using = Lenient.Text.class) String subject,
        @JsonDeserialize(using = Lenient.Text.class) String description,
        @JsonDeserialize(using = Lenient.EpochMillis.class) Long creation,
        @JsonDeserialize(using = Lenient.Text.class) String invitationLink,
        @JsonDeserialize(using = Lenient.Count.class) Integer contactsCount,
        @JsonDeserialize(using = Lenient.Count.class) Integer participantsCount,
        List<Participant> participants,
        @JsonDeserialize(using = Lenient.EpochMillis.class) Long subjectTime,
        @JsonDeserialize(using = Lenient.Text.class) String subjectOwner,
        @JsonDeserialize(using = Lenient.Text.class) String error,
        @JsonDeserialize(using = Lenient.Text.class) String message) {

    public GroupMetadata {
        participants = participants == null ? List.of() : participants.stream().filter(Objects::nonNull).toList();
    }

    public Long effectiveSubjectTime() {
        return subjectTime != null ? subjectTime
                : participants.stream().map(Participant::subjectTime).filter(Objects::nonNull).findFirst().orElse(null);
    }

    public String effectiveSubjectOwner() {
        return subjectOwner != null ? subjectOwner
                : participants.stream().map(Participant::subjectOwner).filter(Objects::nonNull).findFirst().orElse(null);
    }

    /** Participants with {@code isAdmin} or {@code isSuperAdmin}. */
    public int adminsCount() {
        return (int) participants.stream().filter(Participant::admin).count();
    }
}

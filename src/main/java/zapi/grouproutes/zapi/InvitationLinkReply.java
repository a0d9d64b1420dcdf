package zapi.grouproutes.zapi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** Body of {@code /group-invitation-link/{groupId}}; {@code error}/{@code value} appear on failures sent as 200. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvitationLinkReply(
        @JsonDeserialize(using = Lenient.Text.class) String phone,
        @JsonDeserialize(using = Lenient.Text.class) String invitationLink,
        @JsonDeserialize(using = Lenient.Text.class) String error,
        @JsonDeserialize(using = Lenient.Text.class) String message,
        @JsonDeserialize(using = Lenient.Bool.class) Boolean value) {
}

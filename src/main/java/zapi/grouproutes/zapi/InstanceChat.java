package zapi.grouproutes.zapi;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * One chat of the instance's listing, {@code GET /groups?page=N&pageSize=M} (Z-API's "Fetch Groups" page):
 * despite the name it lists chats, groups among them. Only the fields the product reads; the docs type
 * {@code isGroup} as a boolean and send it, like the other flags, sometimes as {@code "true"}/{@code "false"}.
 * {@code isGroupAnnouncement} comes from the chats listing's page (a community's announcement group, a
 * group like any other for its link and members). {@code phone} is the chat's ID: {@code <digits>-group} for
 * a group, {@code <digits>-broadcast} for a broadcast list, a number or a LID ({@code <digits>@lid}) for a
 * contact; {@code chatLid}, where Z-API sends it, the contact's LID.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceChat(
        @JsonDeserialize(using = Lenient.Text.class) String phone,
        @JsonDeserialize(using = Lenient.Text.class) String name,
        @JsonProperty("isGroup") @JsonDeserialize(using = Lenient.Bool.class) Boolean isGroup,
        @JsonProperty("isGroupAnnouncement") @JsonDeserialize(using = Lenient.Bool.class) Boolean isGroupAnnouncement,
        @JsonDeserialize(using = Lenient.Text.class) String chatLid) {

    /** What the listing makes of a chat: a group to enrich, or why it is skipped. */
    public enum Kind {
        GROUP(null),
        ANNOUNCEMENT_GROUP(null),
        BROADCAST_LIST("broadcast list (Z-API sends no links for them)"),
        NOT_A_GROUP("chat that is not a group");

        private final String skipReason;

        Kind(String skipReason) {
            this.skipReason = skipReason;
        }

        /** Why a chat of this kind is not enriched, or null for a group. */
        public String skipReason() {
            return skipReason;
        }
    }

    /**
     * A broadcast list is told by its ID's {@code -broadcast} suffix (Z-API's broadcast page), whatever its
     * flags say; a community's announcement group is a group ("isGroupAnnouncement", the communities page:
     * links and members are managed through it like any group's).
     */
    public Kind kind() {
        String id = phone == null ? "" : phone.strip().toLowerCase(Locale.ROOT);
        if (id.endsWith("-broadcast") || id.endsWith("@broadcast")) {
            return Kind.BROADCAST_LIST;
        }
        if (Boolean.TRUE.equals(isGroup)) {
            return Kind.GROUP;
        }
        if (Boolean.TRUE.equals(isGroupAnnouncement)) {
            return Kind.ANNOUNCEMENT_GROUP;
        }
        return Kind.NOT_A_GROUP;
    }
}

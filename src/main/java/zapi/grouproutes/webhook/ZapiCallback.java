package zapi.grouproutes.webhook;

import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import zapi.grouproutes.group.GroupId;
import zapi.grouproutes.http.BadRequestException;

/**
 * What one of Z-API's {@code on-message-received} callbacks means here: a notification that may change what
 * the product reports about a group (its link, subject or participants), or something to drop (an ordinary
 * message, a status, a call, a notification of a contact). Only JSON that cannot be read is refused (400):
 * anything that parses is Z-API's to send, and is answered 200 whatever it is, so Z-API does not retry it.
 *
 * @param groupId      the group to re-check, or null when dropped
 * @param notification the notification's name, or null
 * @param dropped      why it is dropped (a metric's tag), or null when it schedules a re-check
 */
public record ZapiCallback(String groupId, String notification, String dropped) {

    /** The group notifications that can change a group's link, subject or participants. */
    public static final Set<String> GROUP_NOTIFICATIONS = Set.of("GROUP_CREATE", "GROUP_PARTICIPANT_ADD", "GROUP_PARTICIPANT_REMOVE",
            "GROUP_PARTICIPANT_LEAVE", "MEMBERSHIP_APPROVAL_REQUEST", "REVOKED_MEMBERSHIP_REQUESTS", "GROUP_MEMBER_LINK_PROPERTY_UPDATE");

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean recheck() {
        return dropped == null;
    }

    /** Reads a callback's body; the exception's message never quotes the body. */
    public static ZapiCallback read(String body) throws BadRequestException {
        if (body == null || body.isBlank()) {
            throw new BadRequestException("The body is empty: a Z-API callback is a JSON object.");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("The body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ").");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("The body is not a JSON object: a Z-API callback is one.");
        }
        if (!"ReceivedCallback".equals(text(node, "type"))) {
            return drop("not-received-callback");
        }
        if (!node.path("isGroup").asBoolean(false)) {
            return drop("not-group");
        }
        String notification = text(node, "notification");
        if (notification == null) {
            return drop("group-message");
        }
        if (!GROUP_NOTIFICATIONS.contains(notification)) {
            return drop("other-notification");
        }
        String phone = text(node, "phone");
        GroupId.Parsed parsed = GroupId.parse(phone == null ? "" : phone.strip());
        if (!parsed.isValid()) {
            return drop("not-a-group-id");
        }
        return new ZapiCallback(parsed.groupId().value(), notification, null);
    }

    private static ZapiCallback drop(String why) {
        return new ZapiCallback(null, null, why);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}

package zapi.grouproutes.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import zapi.grouproutes.group.ListedGroup;

/**
 * One message of a stream source (a Kafka record, a JMS message) as the entry it names: its value is a
 * group ID as plain text, or a JSON object with a {@code groupId}, {@code group_id} or {@code phone} field.
 * The ID rules are those of files ({@link ListedGroup#of}); anything else is a REJECTED entry with its
 * reason, never an exception, so a bad message gets an answer instead of being redelivered forever.
 */
public final class MessageEntry {

    static final String[] ID_FIELDS = {"groupId", "group_id", "phone"};
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer values are not read as JSON or IDs: a group ID is at most 64 characters. */
    static final int MAX_VALUE_LENGTH = 4096;

    private MessageEntry() {
    }

    /**
     * @param value    the message's value as text (null for an empty or missing body)
     * @param position where it came from, for the operator: a Kafka offset, a JMS message's sequence
     */
    public static ListedGroup of(String value, long position) {
        if (value == null || value.isBlank()) {
            return ListedGroup.rejected("", position, "empty message: no group ID");
        }
        String text = EntryText.clean(value).strip();
        if (text.length() > MAX_VALUE_LENGTH) {
            return ListedGroup.rejected(text, position, "message of " + text.length() + " characters: a group ID is at most 64");
        }
        if (!text.startsWith("{")) {
            return ListedGroup.of(text, position);
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            return ListedGroup.rejected(text, position, "message starts like JSON but is not valid JSON");
        }
        for (String field : ID_FIELDS) {
            JsonNode id = node.get(field);
            if (id != null && !id.isNull()) {
                if (!id.isTextual() && !id.isIntegralNumber()) {
                    return ListedGroup.rejected(text, position, "JSON field " + field + " is not text");
                }
                return ListedGroup.of(EntryText.clean(id.asText()).strip(), position);
            }
        }
        return ListedGroup.rejected(text, position, "JSON message without a groupId, group_id or phone field");
    }
}

package zapi.grouproutes.event;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.enrichment.ResultJson;
import zapi.grouproutes.intake.UnitOfWork;

/**
 * Results as CloudEvents 1.0 in structured JSON mode ({@code application/cloudevents+json}), for the topic
 * sink (routes/sinks/topic.camel.yaml).
 *
 * <ul>
 * <li>{@code id} is a name-based UUID of the event type and the entry's position in its input (a file's
 * name, size and time plus the line; a record's topic, partition and offset; a JMS message's id): an input seen again after
 * a crash gives the same id, so a consumer can drop the repeat.</li>
 * <li>{@code source} names the product and where the group ID came from; {@code subject} is the group ID
 * (or, for a rejected entry, nothing: it names no group).</li>
 * <li>{@code data} is the report row's fields, typed, with the participants as an array (ResultJson).</li>
 * </ul>
 */
public final class CloudEvents {

    public static final String CONTENT_TYPE = "application/cloudevents+json";
    public static final String ENRICHED = "zapi.group.enriched";
    public static final String REJECTED = "zapi.group.rejected";
    public static final String LINK_CHANGED = "zapi.group.invitation-link.changed";
    public static final String LEFT = "zapi.group.left";
    /**
     * Exchange property with the entry's position in its input, set by each source: a file's or tick's key
     * and line, a record's topic/partition/offset, a JMS message's JMSMessageID.
     */
    public static final String ENTRY_KEY = "zapiEntryKey";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock;

    public CloudEvents(Clock clock) {
        this.clock = clock;
    }

    /** The result's event: zapi.group.enriched, or zapi.group.rejected for an entry that names no group. */
    public String result(GroupResult result, Exchange exchange) throws JsonProcessingException {
        String type = result.isRejected() ? REJECTED : ENRICHED;
        return JSON.writeValueAsString(event(type, result.isRejected() ? null : result.groupId(), result.fetchedAt(), ResultJson.of(result), exchange));
    }

    /**
     * The link-change event: only when the result brings a link other than the one stored before (else
     * null). Not for a resumed result: the earlier run that stored it had announced the change, since the
     * database sink comes after the topic (routes/sinks/deliver-result.camel.yaml).
     */
    public String linkChange(GroupResult result, Exchange exchange) throws JsonProcessingException {
        if (result.previousLink() == null || result.isResumed()) {
            return null;
        }
        ObjectNode data = JSON.createObjectNode();
        data.put("group_id", result.groupId());
        data.put("previous_link", result.previousLink());
        data.put("new_link", result.invitationLink());
        data.put("seen_at", zapi.grouproutes.report.ReportColumns.iso(result.fetchedAt()));
        return JSON.writeValueAsString(event(LINK_CHANGED, result.groupId(), result.fetchedAt(), data, exchange));
    }

    /**
     * A group the instance no longer lists (zapi.schedule.groups=instance): it is LEFT since the listing that
     * first missed it. Its id is the group's and the last listing that named it, so announcing it again after
     * a crash before it was marked gives the same id.
     */
    public String left(zapi.grouproutes.database.LeftGroup group, Exchange exchange) throws JsonProcessingException {
        ObjectNode data = JSON.createObjectNode();
        data.put("group_id", group.groupId());
        data.put("left_at", zapi.grouproutes.report.ReportColumns.iso(group.leftAt()));
        if (group.lastListedAt() == null) {
            data.putNull("last_listed_at");
        } else {
            data.put("last_listed_at", zapi.grouproutes.report.ReportColumns.iso(group.lastListedAt()));
        }
        ObjectNode event = event(LEFT, group.groupId(), group.leftAt(), data, exchange);
        event.put("id", UUID.nameUUIDFromBytes((LEFT + "|" + group.groupId() + "|" + group.lastListedAt()).getBytes(StandardCharsets.UTF_8)).toString());
        return JSON.writeValueAsString(event);
    }

    private ObjectNode event(String type, String subject, java.time.Instant fetchedAt, ObjectNode data, Exchange exchange) {
        UnitOfWork unit = UnitOfWork.of(exchange);
        // where the entry came from, e.g. inbox:groups.csv or kafka:group-ids
        String source = unit == null ? "unknown" : unit.name();
        String position = exchange.getProperty(ENTRY_KEY, String.class);
        ObjectNode event = JSON.createObjectNode();
        event.put("specversion", "1.0");
        // without a position (a source that sets none) the id is random: unique, but not stable across a repeat
        event.put("id", position == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((type + "|" + position).getBytes(StandardCharsets.UTF_8)).toString());
        event.put("source", uriReference("/zapi-group-routes/" + source));
        event.put("type", type);
        if (subject != null) {
            event.put("subject", subject);
        }
        // when the result was fetched: a repeat of the same result carries the same time as well as the same id
        event.put("time", (fetchedAt != null ? fetchedAt : clock.instant()).toString());
        event.put("datacontenttype", "application/json");
        event.set("data", data);
        return event;
    }

    /** A file name may hold spaces and other characters a URI-reference may not: they are percent-encoded. */
    static String uriReference(String path) {
        try {
            return new java.net.URI(null, null, path, null).toASCIIString();
        } catch (java.net.URISyntaxException e) {
            return path.replaceAll("[^A-Za-z0-9/._:~-]", "_");
        }
    }
}

package zapi.grouproutes.http;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import zapi.grouproutes.app.HttpRequest;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.enrichment.Outcome;
import zapi.grouproutes.group.ListedGroup;
import zapi.grouproutes.intake.SourceHeldException;
import zapi.grouproutes.intake.UnitOfWork;

/**
 * The enriching operations of the API (routes/sources/http-api.camel.yaml): {@code POST /api/lookups} and
 * {@code GET /api/groups/{groupId}?refresh=true}.
 * <ul>
 * <li>The request's shape is the caller's to fix and is answered 400 naming the field: not JSON, no
 * {@code groupIds} array, an unknown field, an empty list, more than zapi.api.max-ids, an element that is
 * not text.</li>
 * <li>A text that is no group ID is a REJECTED entry with its reason, as a bad line of a file or a bad
 * message of a queue is: it goes to the sinks like every other result, and the others are enriched.</li>
 * <li>Each group is answered with what enrich-group settled it as; one still in flight at the deadline is
 * PENDING, and its result still reaches the sinks.</li>
 * </ul>
 */
public final class Lookups {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One lookup in flight: its entries (line = 1-based position in the list) and the results settled so far. */
    public static final class Lookup {
        private final List<ListedGroup> entries;
        private final Map<Long, Settled> settled = new ConcurrentHashMap<>();

        Lookup(List<ListedGroup> entries) {
            this.entries = List.copyOf(entries);
        }

        public List<ListedGroup> getEntries() {
            return entries;
        }
    }

    /** What a group of the lookup was answered with once it settled. */
    private record Settled(LookupEntry entry) {
    }

    private final int maxIds;

    public Lookups(int maxIds) {
        this.maxIds = maxIds;
    }

    /** The body of {@code POST /api/lookups}, checked; 400 naming the field otherwise. */
    public Lookup read(String body) throws BadRequestException {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("The body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "); expected {\"groupIds\": [\"<group ID>\", ...]}.");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("The body must be a JSON object: {\"groupIds\": [\"<group ID>\", ...]}.");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("groupIds")) {
                throw new BadRequestException("Unknown field '" + GroupQueries.printable(name) + "'; the only field is groupIds.");
            }
        }
        JsonNode ids = node.get("groupIds");
        if (ids == null || ids.isNull()) {
            throw new BadRequestException("groupIds is missing.");
        }
        if (!ids.isArray()) {
            throw new BadRequestException("groupIds must be an array of group IDs.");
        }
        if (ids.isEmpty()) {
            throw new BadRequestException("groupIds is empty; name 1 to " + maxIds + " group IDs.");
        }
        if (ids.size() > maxIds) {
            throw new BadRequestException("groupIds names " + ids.size() + " group IDs; at most " + maxIds + " per request (zapi.api.max-ids).");
        }
        List<ListedGroup> entries = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.isTextual()) {
                throw new BadRequestException("groupIds[" + i + "] is " + id.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                        + ", not a group ID as text.");
            }
            String text = id.asText().strip();
            entries.add(text.isEmpty() ? ListedGroup.rejected("", i + 1, "empty group ID") : ListedGroup.of(text, i + 1));
        }
        return new Lookup(entries);
    }

    /**
     * One group of the lookup went through enrich-group and every sink, or failed on the way ({@code failed}):
     * that failure went to the unit of work (http-enrich-now). A cause that holds the source makes the whole
     * answer a 503; one about this group alone (a result the database refuses) is its FAILED entry here.
     */
    public void settled(Lookup lookup, ListedGroup entry, Object body, Boolean failed, UnitOfWork unit) {
        if (!Boolean.TRUE.equals(failed) && body instanceof GroupResult result && result.isSettled()) {
            lookup.settled.put(entry.line(), new Settled(entry(result)));
            return;
        }
        String reason = unit instanceof HttpRequest request && request.badInput() != null ? request.badInput() : "its result could not be delivered";
        lookup.settled.put(entry.line(), new Settled(new LookupEntry(id(entry), Outcome.FAILED.name(), reason, null, null, null)));
    }

    /** {@code ?refresh=}: true or false (absent: false); anything else is 400 naming it. */
    public boolean refresh(String raw) throws BadRequestException {
        if (raw == null || raw.isBlank() || raw.strip().equalsIgnoreCase("false")) {
            return false;
        }
        if (raw.strip().equalsIgnoreCase("true")) {
            return true;
        }
        throw new BadRequestException("refresh must be true or false, not '" + GroupQueries.printable(raw) + "'.");
    }

    /**
     * The answer at the deadline or once every group settled: each group's outcome, PENDING for those still in
     * flight. A request whose unit of work paused or stopped the source is answered 503 instead (the groups
     * that settled did reach the sinks; asking again is safe).
     */
    public LookupAnswer answer(Lookup lookup, UnitOfWork unit) throws SourceHeldException {
        refuseIfHeld(unit);
        List<LookupEntry> groups = new ArrayList<>(lookup.entries.size());
        int[] counts = new int[5];
        for (ListedGroup entry : lookup.entries) {
            Settled settled = lookup.settled.get(entry.line());
            LookupEntry answered = settled == null ? pending(entry) : settled.entry();
            groups.add(answered);
            switch (answered.outcome()) {
                case "OK" -> counts[0]++;
                case "PARTIAL" -> counts[1]++;
                case "FAILED" -> counts[2]++;
                case "REJECTED" -> counts[3]++;
                default -> counts[4]++;
            }
        }
        return new LookupAnswer(groups.size(), counts[0], counts[1], counts[2], counts[3], counts[4], groups);
    }

    /** A refresh went through enrich-group: answered from the database, unless the source was held meanwhile. */
    public void refreshed(UnitOfWork unit) throws SourceHeldException, BadRequestException {
        refuseIfHeld(unit);
        if (unit instanceof HttpRequest request && request.badInput() != null) {
            throw new BadRequestException(request.badInput());
        }
    }

    /** The refresh's one entry: its group ID checked first (400 naming it), like the stored result's. */
    public ListedGroup entry(String groupId) throws BadRequestException {
        return ListedGroup.of(GroupQueries.groupId(groupId).value(), 1);
    }

    private static void refuseIfHeld(UnitOfWork unit) throws SourceHeldException {
        if (unit instanceof HttpRequest request && request.held() != null) {
            throw request.held();
        }
    }

    private static LookupEntry pending(ListedGroup entry) {
        return new LookupEntry(id(entry), "PENDING", "still in flight at the deadline (zapi.api.timeout-ms); its result goes to the sinks"
                + " when it settles: GET /api/groups/" + id(entry) + " shows it then", null, null, null);
    }

    private static LookupEntry entry(GroupResult result) {
        ListedGroup entry = result.entry();
        Outcome outcome = result.outcome();
        if (outcome == Outcome.REJECTED) {
            String reason = entry.rejection() != null ? entry.rejection() : result.errorMessage();
            return new LookupEntry(id(entry), outcome.name(), reason, null, null, null);
        }
        String reason = outcome == Outcome.OK ? null
                : (result.errorCode() == null ? "" : result.errorCode() + ": ") + (result.errorMessage() == null ? "" : result.errorMessage());
        return new LookupEntry(id(entry), outcome.name(), reason, result.invitationLink(),
                result.metadata() == null ? null : result.metadata().subject(),
                result.metadata() == null ? null : result.metadata().participantsCount());
    }

    /** The group ID as answered: the canonical one, or what was sent (cut) when it is none. */
    private static String id(ListedGroup entry) {
        return entry.groupId() != null ? entry.groupId().value() : ListedGroup.echo(entry.raw());
    }
}

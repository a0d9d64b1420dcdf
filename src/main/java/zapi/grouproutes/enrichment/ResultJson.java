package zapi.grouproutes.enrichment;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import zapi.grouproutes.report.ReportColumns;
import zapi.grouproutes.zapi.GroupMetadata;
import zapi.grouproutes.zapi.Participant;

/**
 * A result as JSON, for the message sinks (an event's {@code data}, a JMS reply): the report's columns
 * under the same names, typed (numbers as numbers, absent values as null), plus the participants as an
 * array and, for a REJECTED entry, what was written. Never the tokens: a result holds none.
 */
public final class ResultJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {
    }

    public static ObjectNode of(GroupResult r) {
        ObjectNode data = JSON.createObjectNode();
        GroupMetadata m = r.metadata();
        data.put("group_id", r.groupId());
        data.put("status", r.outcome().name());
        data.put("invitation_link", r.invitationLink());
        data.put("subject", m == null ? null : m.subject());
        data.put("description", m == null ? null : m.description());
        data.put("owner", m == null ? null : m.owner());
        data.put("created_at", m == null ? null : isoMillis(m.creation()));
        data.put("participants_count", m == null ? null : m.participantsCount());
        data.put("contacts_count", m == null ? null : m.contactsCount());
        data.put("admins_count", m == null ? null : m.adminsCount());
        data.put("subject_owner", m == null ? null : m.effectiveSubjectOwner());
        data.put("subject_time", m == null ? null : isoMillis(m.effectiveSubjectTime()));
        data.put("fetched_at", ReportColumns.iso(r.fetchedAt()));
        data.put("error_code", r.errorCode());
        data.put("error_message", r.errorMessage());
        if (r.isRejected()) {
            data.put("input", r.entry().raw());
        }
        ArrayNode participants = data.putArray("participants");
        if (m != null && m.participants() != null) {
            for (Participant p : m.participants()) {
                participants.addObject().put("phone", p.phone()).put("is_admin", Boolean.TRUE.equals(p.isAdmin()))
                        .put("is_super_admin", Boolean.TRUE.equals(p.isSuperAdmin()));
            }
        }
        return data;
    }

    private static String isoMillis(Long epochMillis) {
        return epochMillis == null ? null : ReportColumns.iso(Instant.ofEpochMilli(epochMillis));
    }
}

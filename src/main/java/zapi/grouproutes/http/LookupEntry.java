package zapi.grouproutes.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One group of a lookup's answer, in the order the request listed it. {@code outcome} is OK, PARTIAL,
 * FAILED or REJECTED as every source settles it, or PENDING: still in flight at the deadline
 * (zapi.api.timeout-ms); its result reaches the sinks all the same, and {@code GET /api/groups/{groupId}}
 * shows it once stored. {@code reason} says why for anything but OK (and for PENDING, that the deadline passed).
 * A field without a value is left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LookupEntry(String groupId, String outcome, String reason, String invitationLink, String subject, Integer participantsCount) {
}

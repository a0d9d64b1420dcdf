package zapi.grouproutes.http;

import java.util.List;

/** The body of {@code POST /api/lookups}: the group IDs to enrich now, at most zapi.api.max-ids. */
public record LookupRequest(List<String> groupIds) {
}

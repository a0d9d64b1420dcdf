package zapi.grouproutes.http;

import java.util.List;

/** The answer of {@code POST /api/lookups}: a count per outcome, then every requested group in request order. */
public record LookupAnswer(int requested, int ok, int partial, int failed, int rejected, int pending, List<LookupEntry> groups) {
}

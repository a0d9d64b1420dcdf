package zapi.grouproutes.bench;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.GroupReadings;
import zapi.grouproutes.database.WebhookRechecks;
import zapi.grouproutes.webhook.ZapiCallback;

/**
 * What the baseline servers answer ({@link BareJdkServer}, {@link BareVertxServer}): the product's two hot paths
 * done with the product's own store classes on the product's own pool, so that only the door differs (Camel, the
 * gate, the Rest DSL and its binding). No authentication, no checks, no problems.
 * <ul>
 * <li>{@code GET /api/groups/{id}}: {@link GroupReadings#result}, the same query, as the same JSON (Jackson).</li>
 * <li>{@code POST /webhooks/zapi/<anything>}: {@link ZapiCallback#read} and {@link WebhookRechecks#note}, committed
 * before the answer, with a window of its own (a baseline's rows are never due while a benchmark runs).</li>
 * </ul>
 */
final class BaselineAnswers {

    static final String GROUPS = "/api/groups/";
    static final String WEBHOOKS = "/webhooks/zapi/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] ACCEPTED = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DROPPED = "{\"status\":\"dropped\"}".getBytes(StandardCharsets.UTF_8);

    private final GroupReadings readings;
    private final WebhookRechecks rechecks;
    private final long webhookWindowMs;

    BaselineAnswers(Database database, long webhookWindowMs) {
        this.readings = new GroupReadings(database);
        this.rechecks = new WebhookRechecks(database);
        this.webhookWindowMs = webhookWindowMs;
    }

    /** The stored group as JSON, or null (404). */
    byte[] group(String path) throws Exception {
        Optional<GroupReadings.StoredResult> result = readings.result(path.substring(GROUPS.length()));
        return result.isEmpty() ? null : JSON.writeValueAsBytes(result.get());
    }

    /** A callback recorded (or dropped); a malformed one throws BadRequestException (400). */
    byte[] webhook(byte[] body) throws Exception {
        ZapiCallback callback = ZapiCallback.read(new String(body, StandardCharsets.UTF_8));
        if (!callback.recheck()) {
            return DROPPED;
        }
        rechecks.note(callback.groupId(), callback.notification(), System.currentTimeMillis(), webhookWindowMs);
        return ACCEPTED;
    }

    static int status(Exception failure) {
        return failure instanceof zapi.grouproutes.http.BadRequestException ? 400 : 500;
    }
}

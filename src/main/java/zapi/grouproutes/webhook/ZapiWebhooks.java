package zapi.grouproutes.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.database.DatabaseUnavailableException;
import zapi.grouproutes.database.WebhookRechecks;
import zapi.grouproutes.database.WebhookRechecks.Claim;
import zapi.grouproutes.group.ListedGroup;
import zapi.grouproutes.zapi.Credentials;

/**
 * The webhook source's bean ({@code zapiWebhooks}, routes/sources/zapi-webhooks.camel.yaml): it takes a
 * callback (recorded in the database before the 200, or dropped and counted), hands the poll its due re-checks
 * and settles each once its result went through every sink, and makes and checks the registration request.
 */
public final class ZapiWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(ZapiWebhooks.class);
    /** What a callback is answered with: Z-API reads nothing of it but the 200. */
    static final String ACCEPTED = "{\"status\":\"accepted\"}";
    static final String DROPPED = "{\"status\":\"dropped\"}";

    private final WebhookSettings settings;
    private final WebhookRechecks rechecks;
    private final Credentials credentials;
    private final Clock clock;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rechecked = new AtomicLong();
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    private final AtomicLong positions = new AtomicLong();

    public ZapiWebhooks(WebhookSettings settings, WebhookRechecks rechecks, Credentials credentials, Clock clock) {
        this.settings = settings;
        this.rechecks = rechecks;
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * One callback: a group notification is counted into its group's pending re-check, committed before this
     * returns (so before the 200); anything else is dropped. The body's size is checked here too, for a chunked
     * body the gate could not measure.
     */
    public String callback(Exchange exchange) throws Exception {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > WebhookSettings.MAX_BODY_BYTES) {
            throw new CallbackTooLargeException();
        }
        ZapiCallback callback = ZapiCallback.read(body == null ? null : new String(body, StandardCharsets.UTF_8));
        if (!callback.recheck()) {
            dropped.computeIfAbsent(callback.dropped(), why -> new AtomicLong()).incrementAndGet();
            return DROPPED;
        }
        rechecks.note(callback.groupId(), callback.notification(), clock.millis(), settings.coalesce().toMillis());
        accepted.incrementAndGet();
        return ACCEPTED;
    }

    /** The due re-checks this instance claimed, oldest first; empty when none is due. */
    public List<Claim> claimDue() throws DatabaseUnavailableException, java.sql.SQLException {
        return rechecks.claimDue(clock.millis(), settings.claimLease().toMillis(), settings.claimBatch());
    }

    /** The entry enrichment takes for a claimed re-check. */
    public ListedGroup entry(Claim claim) {
        return ListedGroup.of(claim.groupId(), positions.incrementAndGet());
    }

    /** A stable key of the re-check for events: the group and the notifications it covers. */
    public String entryKey(Claim claim) {
        return "webhook:" + claim.groupId() + "#" + claim.notes();
    }

    /** The re-check's result went through every sink: the row goes, or is due again if notifications came meanwhile. */
    public void settled(Claim claim) throws DatabaseUnavailableException, java.sql.SQLException {
        rechecks.settled(claim, clock.millis(), settings.coalesce().toMillis());
        rechecked.incrementAndGet();
        // one line a group per coalescing window at most, however many notifications it had
        LOG.info("Webhook re-check of group {} done ({} notification(s) since the last one)", claim.groupId(), claim.notes());
    }

    /** A poll that failed gives its claims back at once, so they do not wait out their lease after a pause. */
    public void release(List<Claim> claims) {
        if (claims == null || claims.isEmpty()) {
            return;
        }
        try {
            rechecks.release(claims);
        } catch (Exception e) {
            // the lease gives them back in any case
            LOG.debug("Could not release {} webhook re-check claim(s) ({}); their lease expires in {} s", claims.size(),
                    e.getClass().getSimpleName(), settings.claimLease().toSeconds());
        }
    }

    /** The registration request, as the zapi-request route sends it: PUT, the instance path, Client-Token, the URL. */
    public void registration(Exchange exchange) {
        Message in = exchange.getMessage();
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_METHOD, org.apache.camel.component.http.HttpMethods.PUT);
        in.setHeader(Exchange.HTTP_PATH, "/instances/" + credentials.instanceId() + "/token/" + credentials.token() + "/update-webhook-received");
        if (credentials.clientToken() != null) {
            in.setHeader("Client-Token", credentials.clientToken());
        }
        in.setHeader("Content-Type", "application/json");
        in.setBody("{\"value\":" + quoted(settings.callbackUrl()) + "}");
    }

    /** Z-API's answer to the registration: 2xx without an error in the body, or a failure the route retries. */
    public void registered(Exchange exchange) throws RegistrationFailedException {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        exchange.getMessage().removeHeaders("*");
        boolean refusedInBody = body != null && (body.contains("\"error\"") || body.replace(" ", "").contains("\"value\":false"));
        if (status == null || status < 200 || status > 299 || refusedInBody) {
            throw new RegistrationFailedException("Z-API answered the webhook registration (PUT /update-webhook-received) with "
                    + (status == null ? "no status" : "HTTP " + status) + (refusedInBody ? " and an error in its body" : ""));
        }
        LOG.info("Webhook registered with Z-API: on-message-received callbacks of instance {} go to {}", credentials.instanceId(),
                settings.publicUrl() + WebhookSettings.PATH_PREFIX + "<secret>");
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public long acceptedCount() {
        return accepted.get();
    }

    public long recheckedCount() {
        return rechecked.get();
    }

    public Map<String, AtomicLong> droppedCounts() {
        return dropped;
    }

    public WebhookSettings settings() {
        return settings;
    }

    /** A callback over the cap, refused with 413. */
    public static final class CallbackTooLargeException extends Exception {
        public CallbackTooLargeException() {
            super("callback body over " + WebhookSettings.MAX_BODY_BYTES + " bytes");
        }
    }

    /** Z-API did not take the registration; the route retries with backoff. */
    public static final class RegistrationFailedException extends Exception {
        public RegistrationFailedException(String message) {
            super(message);
        }
    }
}

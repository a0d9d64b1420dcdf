package zapi.grouproutes.zapi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.group.GroupId;

/**
 * The two Z-API calls, and the protocol rules around them (NOTES.md):
 * <ul>
 * <li>405 on the invitation link: the same call with the other method; the method that works is kept
 * for the rest of the run, with one WARN naming the setting that avoids the fallback.</li>
 * <li>415: once more with explicit Content-Type and Accept, kept for the run; a second 415 is systematic.</li>
 * <li>Every status is classified into transient (retried by the routes), failed for this group, or
 * systematic (stops the batch).</li>
 * </ul>
 * Every HTTP request takes a permit from the {@link RequestBudget} right before it is sent, so the rate
 * limit counts the 405 fallback's and the 415 fix's second requests too; a 429's Retry-After pauses that
 * budget for all workers, because a 429 speaks for the whole instance. Every answer goes back to the
 * budget too: its latency sizes the workers, and with an adaptive rate a 429 lowers the rate. Retries live
 * in the routes (redelivery policies), and each retry's request takes its own permit here.
 */
public final class ZapiClient {

    private static final Logger LOG = LoggerFactory.getLogger(ZapiClient.class);
    private static final String LINK = "group-invitation-link";
    private static final String METADATA = "group-invitation-metadata";
    private static final String REDEFINE = "redefine-invitation-link";
    private static final String GROUPS = "groups";
    private static final Pattern IP_NOT_ALLOWED = Pattern.compile("^[0-9a-fA-F.:]+ not allowed$");
    private static final int MAX_ERROR_TEXT = 300;

    private final ZapiSettings settings;
    private final Credentials credentials;
    private final ZapiOutage outage;
    private final RequestBudget budget;
    private final ZapiHttp http;
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    private final LinkMethod linkMethod;
    private final AtomicBoolean explicitContentHeaders = new AtomicBoolean();
    /**
     * Per worker: a worker is a thread of the split's pool, and it makes a group's calls and their retries
     * one after another (Camel's redelivery sleeps on the same thread unless asyncDelayedRedelivery is
     * on, which these routes do not use). Counted across workers, four workers' simultaneous hiccups
     * looked like four in a row, and one worker's success reset another's real streak.
     */
    private final ThreadLocal<int[]> clientTokenErrorsInARow = ThreadLocal.withInitial(() -> new int[1]);
    private volatile ZapiCallListener listener = ZapiCallListener.NONE;
    /**
     * The lane of the calls this thread makes now ({@link #inLane}): a route's worker makes a group's calls on
     * its own thread, so the lane its unit of work asked for is the one its permits are taken in.
     */
    private final ThreadLocal<PermitLine.Lane> lane = ThreadLocal.withInitial(() -> PermitLine.Lane.BATCH);

    public ZapiClient(ZapiSettings settings, ZapiOutage outage, RequestBudget budget, ZapiHttp http) {
        this(settings, outage, budget, new LinkMethod(settings.linkMethod()), http);
    }

    /** With the invitation-link method shared by instances ({@link LinkMethod#shared}). */
    public ZapiClient(ZapiSettings settings, ZapiOutage outage, RequestBudget budget, LinkMethod linkMethod, ZapiHttp http) {
        this.settings = settings;
        this.credentials = settings.credentials();
        this.outage = outage;
        this.budget = budget;
        this.linkMethod = linkMethod;
        this.http = http;
    }

    /** Tells the listener of every request from now on (set while wiring, before the first call). */
    public void reportTo(ZapiCallListener listener) {
        this.listener = listener == null ? ZapiCallListener.NONE : listener;
    }

    /** The method the invitation-link call uses now. */
    /** Runs {@code calls} with every permit they take in {@code callsLane}; the thread's lane is BATCH again after. */
    public <T> T inLane(PermitLine.Lane callsLane, java.util.function.Supplier<T> calls) {
        PermitLine.Lane before = lane.get();
        lane.set(callsLane);
        try {
            return calls.get();
        } finally {
            lane.set(before);
        }
    }

    public String invitationLinkMethod() {
        return linkMethod.current();
    }

    public String fetchInvitationLink(GroupId groupId) {
        String path = "/" + LINK + "/" + groupId.value();
        String method = linkMethod.current();
        ZapiAnswer response = send(LINK, method, path, null);
        if (response.status() == 405) {
            String other = method.equals("POST") ? "GET" : "POST";
            response = send(LINK, other, path, null);
            if (response.status() == 405) {
                throw new ZapiSystematicException("Z-API refused both POST and GET (HTTP 405) for " + LINK
                        + ": the instance or base URL does not serve this call; check ZAPI_BASE_URL",
                        "405", errorText(response));
            }
            if (linkMethod.learned(method, other)) {
                LOG.warn("Z-API refused {} (HTTP 405) and accepted {} for {}: using {} for the rest of this run."
                        + " Set zapi.invitation-link-method={} (env ZAPI_INVITATION_LINK_METHOD) to skip the fallback",
                        method, other, LINK, other, other);
            }
        }
        classify(LINK, response);
        return linkIn(LINK, response);
    }

    /**
     * Rotation: {@code POST /redefine-invitation-link/{groupId}} revokes the group's current link and
     * answers a new one (NOTES.md). The same permit, 415, retry and stop rules as every call; a 405 stops
     * at once instead of trying GET, because no page documents another method for a call that revokes.
     * A retry after a timeout may rotate the group a second time: harmless, as nobody has seen the link
     * the lost answer carried.
     */
    public String redefineInvitationLink(GroupId groupId) {
        ZapiAnswer response = send(REDEFINE, "POST", "/" + REDEFINE + "/" + groupId.value(), null);
        if (response.status() == 405) {
            throw new ZapiSystematicException("Z-API refused POST (HTTP 405) for " + REDEFINE
                    + ": the instance or base URL does not serve this call; check ZAPI_BASE_URL", "405", errorText(response));
        }
        classify(REDEFINE, response);
        return linkIn(REDEFINE, response);
    }

    /** The link an invitation-link or redefine answer carries; a 200 without one is a failure. */
    private String linkIn(String operation, ZapiAnswer response) {
        InvitationLinkReply reply = read(operation, response, InvitationLinkReply.class);
        if (notBlank(reply.error())) {
            throw failedInBody(operation, reply.error());
        }
        if (Boolean.FALSE.equals(reply.value())) {
            throw failedInBody(operation, notBlank(reply.message()) ? reply.message() : "Z-API answered value=false");
        }
        String link = reply.invitationLink() == null ? "" : reply.invitationLink().strip();
        if (link.isEmpty()) {
            throw failedInBody(operation, "the reply has no invitationLink");
        }
        if (!link.startsWith("https://") && !link.startsWith("http://")) {
            throw failedInBody(operation, "invitationLink is not a URL");
        }
        return link;
    }

    public GroupMetadata fetchMetadata(String invitationLink) {
        ZapiAnswer response = send(METADATA, "GET", "/" + METADATA, "url=" + URLEncoder.encode(invitationLink, StandardCharsets.UTF_8));
        if (response.status() == 405) {
            throw new ZapiSystematicException("Z-API refused GET (HTTP 405) for " + METADATA
                    + ": the instance or base URL does not serve this call; check ZAPI_BASE_URL", "405", errorText(response));
        }
        classify(METADATA, response);
        GroupMetadata metadata = read(METADATA, response, GroupMetadata.class);
        if (notBlank(metadata.error())) {
            throw failedInBody(METADATA, metadata.error());
        }
        return metadata;
    }

    /**
     * One page of the instance's chats: {@code GET /groups?page=N&pageSize=M}, pages counted from 1 (the
     * docs' example). The same permit, 415 and classification as every call; a 405 stops at once (the page
     * documents GET alone). A 200 whose body is not the documented array (an {@code {"error": ...}}) fails
     * the page: a listing that cannot be read is never taken for an empty one.
     */
    public java.util.List<InstanceChat> listGroups(int page, int pageSize) {
        ZapiAnswer response = send(GROUPS, "GET", "/" + GROUPS, "page=" + page + "&pageSize=" + pageSize);
        if (response.status() == 405) {
            throw new ZapiSystematicException("Z-API refused GET (HTTP 405) for " + GROUPS
                    + ": the instance or base URL does not serve this call; check ZAPI_BASE_URL", "405", errorText(response));
        }
        classify(GROUPS, response);
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw failedInBody(GROUPS, "the reply is not the JSON Z-API documents");
        }
        if (body == null || !body.isArray()) {
            JsonNode error = body == null ? null : body.get("error");
            throw failedInBody(GROUPS, error != null && error.isValueNode() ? error.asText() : "the reply is not the list of chats Z-API documents");
        }
        try {
            return java.util.Arrays.asList(json.treeToValue(body, InstanceChat[].class));
        } catch (IOException e) {
            throw failedInBody(GROUPS, "the reply is not the list of chats Z-API documents");
        }
    }

    private ZapiAnswer send(String operation, String method, String path, String query) {
        boolean explicit = explicitContentHeaders.get();
        ZapiAnswer response = exchange(operation, method, path, query, explicit);
        if (response.status() == 415) {
            if (!explicit) {
                response = exchange(operation, method, path, query, true);
            }
            if (response.status() == 415) {
                throw new ZapiSystematicException("Z-API refused the request's Content-Type (HTTP 415) for " + operation
                        + " even with explicit Content-Type and Accept headers", "415", errorText(response));
            }
            if (explicitContentHeaders.compareAndSet(false, true)) {
                LOG.warn("Z-API answered 415 until Content-Type and Accept were explicit: sending them on every call from now on");
            }
        }
        return response;
    }

    private ZapiAnswer exchange(String operation, String method, String path, String query, boolean explicit) {
        try {
            budget.take(lane.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw transientFailure(operation, "INTERRUPTED", "interrupted while waiting for the request budget");
        }
        // timed from here: the wait for a permit is the budget's, not Z-API's latency
        long started = System.nanoTime();
        String outcome = "CONNECTION";
        try {
            ZapiAnswer response = http.send(method, path, query, explicit);
            outcome = String.valueOf(response.status());
            // the budget learns the latency, and with an adaptive rate whether this was a 429
            budget.answered(response.status(), started);
            if (LOG.isDebugEnabled()) {
                // the call as it may be logged: operation and group, never the instance path or the link
                LOG.debug("{} {}{} -> {} in {} ms", method, path, query == null ? "" : "?url=...", response.status(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
            return response;
        } catch (ConnectTimeoutException e) {
            outcome = "TIMEOUT";
            throw transientFailure(operation, "TIMEOUT", "connect timed out after " + settings.connectTimeout().toMillis() + " ms");
        } catch (SocketTimeoutException e) {
            outcome = "TIMEOUT";
            throw transientFailure(operation, "TIMEOUT", "no answer within " + settings.requestTimeout().toMillis() + " ms");
        } catch (ConnectException e) {
            throw transientFailure(operation, "CONNECTION", "connection refused or unreachable");
        } catch (ConnectionRequestTimeoutException e) {
            // every pooled connection stayed busy: more callers than zapi.http.connections, or a slow Z-API.
            // HttpClient makes this an InterruptedIOException, but no thread was interrupted
            outcome = ZapiTransientException.NO_FREE_CONNECTION;
            throw transientFailure(operation, ZapiTransientException.NO_FREE_CONNECTION,
                    "no free connection to Z-API within " + settings.requestTimeout().toMillis() + " ms (zapi.http.connections)");
        } catch (InterruptedIOException e) {
            // an I/O wait that ended early; the flag is not set here: whoever interrupted the thread set
            // it, and setting it for a mere timeout made Camel's next retry sleep throw past every error handler
            outcome = "INTERRUPTED";
            throw transientFailure(operation, "INTERRUPTED", "interrupted while waiting for Z-API");
        } catch (IOException e) {
            throw transientFailure(operation, "CONNECTION", e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + credentials.redact(e.getMessage())));
        } finally {
            listener.requested(operation, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void classify(String operation, ZapiAnswer response) {
        int status = response.status();
        // answers that every further request would get too: the batch stops rather than failing each group
        if (status >= 300 && status < 400) {
            throw WrongAddress.redirect(operation, response, settings.baseUrl());
        }
        if (!isTransientStatus(status) && WrongAddress.isHtml(response)) {
            throw WrongAddress.htmlPage(operation, response, credentials);
        }
        if (status >= 200 && status < 300) {
            clientTokenErrorsInARow.get()[0] = 0;
            outage.answered(operation);
            return;
        }
        String error = errorText(response);
        if (status == 429) {
            Duration retryAfter = retryAfter(response);
            if (retryAfter != null) {
                budget.pauseFor(retryAfter);
            }
            throw new ZapiTransientException(operation, operation + " rate limited by Z-API (HTTP 429"
                    + (retryAfter == null ? "" : ", retry after " + retryAfter.toSeconds() + " s") + ")", "429", error, retryAfter);
        }
        if (isTransientStatus(status)) {
            throw new ZapiTransientException(operation, operation + " failed: HTTP " + status + ": " + error, String.valueOf(status), error, null);
        }
        if (isClientTokenError(status, error)) {
            int inARow = ++clientTokenErrorsInARow.get()[0];
            if (inARow >= settings.clientTokenErrorLimit()) {
                throw new ZapiSystematicException("Client-Token rejected: Z-API answered '" + error + "' to " + inARow
                        + " calls in a row; check ZAPI_CLIENT_TOKEN and the account's security settings", String.valueOf(status), error);
            }
            throw new ZapiTransientException(operation, operation + " failed: HTTP " + status + ": " + error, String.valueOf(status), error, null);
        }
        outage.answered(operation);
        if (status == 401 || status == 403) {
            String cause = IP_NOT_ALLOWED.matcher(error).matches()
                    ? "this machine's IP address is not allowed by the Z-API account"
                    : "Client-Token or instance token rejected";
            throw new ZapiSystematicException(cause + " (HTTP " + status + ": " + error
                    + "); check ZAPI_INSTANCE_ID, ZAPI_TOKEN and ZAPI_CLIENT_TOKEN", String.valueOf(status), error);
        }
        if (IP_NOT_ALLOWED.matcher(error).matches() && !error.startsWith("null")) {
            throw new ZapiSystematicException("this machine's IP address is not allowed by the Z-API account (HTTP "
                    + status + ": " + error + ")", String.valueOf(status), error);
        }
        if (status == 404 && error.toLowerCase(Locale.ROOT).contains("instance")) {
            throw new ZapiSystematicException("Z-API does not know this instance (HTTP 404: " + error
                    + "); check ZAPI_INSTANCE_ID, ZAPI_TOKEN and ZAPI_BASE_URL", "404", error);
        }
        throw new ZapiCallFailedException(operation + " failed: HTTP " + status + ": " + error, String.valueOf(status), error);
    }

    /** 5xx, 408 and 429: a later attempt may get another answer (gateways answer these with HTML pages too). */
    private static boolean isTransientStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private static boolean isClientTokenError(int status, String error) {
        String lower = error.toLowerCase(Locale.ROOT);
        return status == 400 && (lower.contains("client-token") || lower.contains("client token") || lower.equals("null not allowed"));
    }

    private <T> T read(String operation, ZapiAnswer response, Class<T> type) {
        try {
            T value = json.readValue(response.body(), type);
            if (value == null) {
                throw failedInBody(operation, "the reply is empty");
            }
            return value;
        } catch (IOException e) {
            throw failedInBody(operation, "the reply is not the JSON Z-API documents");
        }
    }

    private ZapiCallFailedException failedInBody(String operation, String error) {
        String text = credentials.redactAndShorten(error, MAX_ERROR_TEXT);
        return new ZapiCallFailedException(operation + " failed: HTTP 200 carrying an error: " + text, "200", text);
    }

    private ZapiTransientException transientFailure(String operation, String code, String description) {
        return new ZapiTransientException(operation, operation + " failed: " + description, code, description, null);
    }

    /** Z-API's {@code error} or {@code message}, else the start of the body, else the status; redacted. */
    private String errorText(ZapiAnswer response) {
        String body = response.body().strip();
        String text = null;
        if (body.startsWith("{")) {
            try {
                JsonNode node = json.readTree(body);
                for (String field : new String[] {"error", "message", "detail"}) {
                    JsonNode value = node.get(field);
                    if (value != null && value.isValueNode() && !value.asText().isBlank()) {
                        text = value.asText().strip();
                        break;
                    }
                }
            } catch (IOException ignored) {
                // not JSON after all: the raw text below says more than nothing
            }
        }
        if (text == null) {
            text = body.isEmpty() ? "HTTP " + response.status() : body.replaceAll("\\s+", " ");
        }
        return credentials.redactAndShorten(text, MAX_ERROR_TEXT);
    }

    private Duration retryAfter(ZapiAnswer response) {
        String header = response.retryAfter();
        if (header == null || header.isBlank()) {
            return null;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : wait;
    }

    /**
     * Asks Z-API's {@code GET /status} whether the instance answers (the intake probe while paused), without
     * retries: one request, which takes its permit from the budget like any other (and so waits out a
     * Retry-After pause). Returns null when it answers 2xx and is not disconnected,
     * else what is wrong, redacted.
     */
    public String problemReachingInstance() {
        ZapiAnswer response;
        try {
            response = exchange("status", "GET", "/status", null, explicitContentHeaders.get());
        } catch (ZapiTransientException e) {
            return e.getMessage();
        }
        if (response.status() < 200 || response.status() >= 300) {
            return "status answered HTTP " + response.status() + ": " + errorText(response);
        }
        try {
            JsonNode connected = json.readTree(response.body()).get("connected");
            if (connected != null && connected.isBoolean() && !connected.asBoolean()) {
                return "the instance is not connected to WhatsApp (status: connected=false)";
            }
        } catch (IOException notJson) {
            return "status answered HTTP " + response.status() + " without JSON";
        }
        return null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}

package zapi.grouproutes.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;

/**
 * A stand-in for Z-API on loopback, for demo mode, tests and benchmarks. It checks what the real API
 * checks (instance and token in the path, Client-Token header, method, Content-Type) and can add
 * latency, a rate limit and failures. Only loopback: it is never reachable from another machine.
 */
public final class ZapiSimulator implements AutoCloseable {

    private static final Pattern PATH = Pattern.compile("^/instances/([^/]+)/token/([^/]+)/([a-z-]+)(?:/([^/]+))?$");

    private final String instanceId;
    private final String token;
    private final String clientToken;
    private final SimulatorOptions options;
    private final SimulatedGroups groups = new SimulatedGroups();
    private final SimulatedChats chats = new SimulatedChats();
    /** group-invitation-link and redefine requests per group ID: how often a client fetched each group. */
    private final Map<String, AtomicInteger> linkRequests = new java.util.concurrent.ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(42);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    /** Links revoked by redefine-invitation-link: what a rotate did, and a dry run must not. */
    private final AtomicInteger redefined = new AtomicInteger();
    /** Requests received and not yet answered, and the most there have been at once. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    /** GET /groups requests, in the order they arrived: the listing's timeline (a page each, so it stays small). */
    private final Queue<PageRequest> pageRequests = new ConcurrentLinkedQueue<>();
    /** group-invitation-link and redefine requests in all, and the longest pause between two of them. */
    private final LinkTimeline linkTimeline = new LinkTimeline();
    /** Arrival times (System.nanoTime) of every request, once {@link #recordArrivals()} asked for them. */
    private volatile Queue<Long> arrivals;
    /** The hidden limit, or null for none; replaced whole when the limit changes. */
    private volatile Bucket limit;
    private HttpServer server;
    private ExecutorService executor;
    /** Where on-message-received callbacks go (PUT update-webhook-received, or {@link #sendCallbacksTo}); null: nowhere. */
    private volatile URI webhook;

    public ZapiSimulator(String instanceId, String token, String clientToken, SimulatorOptions options) {
        this.instanceId = instanceId;
        this.token = token;
        this.clientToken = clientToken;
        this.options = options;
        limitRequestsPerSecond(options.requestsPerSecond());
    }

    public ZapiSimulator start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        // a thread per request in flight (each sleeps through the latency): 250 requests/s at 150 ms are 38
        executor = Executors.newFixedThreadPool(128, r -> {
            Thread t = new Thread(r, "zapi-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Someone rotated the group's link in WhatsApp, outside this product: the group has a new link and the
     * old one is revoked, as after a redefine. Returns the new link.
     */
    public String rotateOutside(String groupId) {
        return groups.redefineLink(groupId);
    }

    /** Someone renamed the group in WhatsApp: its metadata has this subject from now on, whatever text it is. */
    public void rename(String groupId, String subject) {
        groups.rename(groupId, subject);
    }

    /** People joined the group in WhatsApp: its metadata lists {@code count} more members from now on. */
    public void addMembers(String groupId, int count) {
        groups.addMembers(groupId, count);
    }

    /**
     * The instance joins {@code count} groups ({@code 120363<12 digits from first>-group}); its listing
     * (GET /groups) has them in this order, a non-group chat after every fifth. Returns their IDs.
     */
    public List<String> joinGroups(long first, int count) {
        return chats.join(first, count);
    }

    /** The instance is added to a group, which its listing then names first. */
    public void joinGroupFirst(String groupId) {
        chats.joinFirst(groupId);
    }

    /** The instance is removed from the group (or left it): its listing no longer names it. False if it did not. */
    public boolean leaveGroup(String groupId) {
        return chats.leave(groupId);
    }

    /** group-invitation-link and redefine-invitation-link requests the group got, whatever their answer. */
    public int linkRequests(String groupId) {
        AtomicInteger count = linkRequests.get(groupId);
        return count == null ? 0 : count.get();
    }

    /** Chats in the instance's listing, groups and others. */
    public int chatCount() {
        return chats.size();
    }

    /** Page {@code page} of GET /groups answers 500 from now on, every time. */
    public void failGroupsPage(int page) {
        chats.failPage(page);
    }

    /** After each page of GET /groups is answered: a test that changes the listing between two pages. */
    public void afterEachGroupsPage(java.util.function.IntConsumer action) {
        chats.afterEachPage(action);
    }

    /** The group's link now, as group-invitation-link would answer it. */
    public String currentLink(String groupId) {
        return groups.invitationLink(groupId);
    }

    /** GET /groups requests answered with a page, in the order they arrived. */
    public List<PageRequest> pageRequests() {
        return List.copyOf(pageRequests);
    }

    /** Links revoked so far by redefine-invitation-link (answered 200), every group together. */
    public int redefineCount() {
        return redefined.get();
    }

    /** group-invitation-link and redefine-invitation-link requests so far, every group together. */
    public int linkRequestCount() {
        return linkTimeline.count();
    }

    /** The longest time between two consecutive link requests so far: how long enrichment stood still. */
    public Duration longestPauseBetweenLinkRequests() {
        return linkTimeline.longestPause();
    }

    /**
     * One page of GET /groups: when it arrived and was answered (System.nanoTime), how many link requests
     * had arrived before it was answered (every group of earlier pages has one once enriched), and how
     * many group chats it listed.
     */
    public record PageRequest(int page, long arrivedNanos, long answeredNanos, int linkRequestsBefore, int groups) {
    }

    /** Requests served so far, whatever their answer. */
    public int requestCount() {
        return requests.get();
    }

    /**
     * From now on, keeps the arrival time of every request, for a test that checks a cap where it matters:
     * at the API, across every client that calls it. Off by default (a long benchmark would fill the heap).
     */
    public ZapiSimulator recordArrivals() {
        arrivals = new ConcurrentLinkedQueue<>();
        return this;
    }

    /** The arrival times recorded so far, in milliseconds, in order. */
    public List<Long> arrivalMillis() {
        Queue<Long> log = arrivals;
        return log == null ? List.of() : log.stream().map(TimeUnit.NANOSECONDS::toMillis).sorted().toList();
    }

    /**
     * The most requests this server has held at once (received, not yet answered): the client's concurrency
     * as the API sees it. With a latency, a client's worker holds its request that long, so it is counted.
     */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    /** Requests answered 429 so far. */
    public int rateLimitedCount() {
        return rateLimited.get();
    }

    /**
     * The hidden limit from now on: a token bucket refilled at {@code requestsPerSecond} and holding
     * {@link SimulatorOptions#burst()} tokens (one second's worth when 0); 0 for no limit. A request that
     * finds the bucket empty when it arrives is answered 429 with {@code Retry-After: 1}, after the latency.
     * The bucket starts full; a change keeps what it holds, up to the new capacity.
     */
    public void limitRequestsPerSecond(int requestsPerSecond) {
        limitRequestsPerSecond(requestsPerSecond, options.burst());
    }

    /** {@link #limitRequestsPerSecond(int)} with a bucket of {@code burst} tokens (0: one second's worth). */
    public void limitRequestsPerSecond(int requestsPerSecond, int burst) {
        if (requestsPerSecond <= 0) {
            limit = null;
            return;
        }
        long capacity = burst > 0 ? burst : requestsPerSecond;
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(capacity).refillGreedy(requestsPerSecond, Duration.ofSeconds(1)))
                .build();
        Bucket current = limit;
        if (current == null) {
            limit = Bucket.builder().withNanosecondPrecision().addLimit(configuration.getBandwidths()[0]).build();
        } else {
            current.replaceConfiguration(configuration, TokensInheritanceStrategy.AS_IS);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        // a request is in flight from its arrival until its answer starts: counted until the handler returned, a
        // handler thread descheduled after its answer left overlapped the client's next request, one too many
        boolean answered = false;
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] sent = body.readAllBytes();
            long arrived = System.nanoTime();
            requests.incrementAndGet();
            Queue<Long> log = arrivals;
            if (log != null) {
                log.add(System.nanoTime());
            }
            // the limit counts a request when it arrives; its answer, 429 or not, takes the latency to come back
            Bucket bucket = limit;
            boolean limited = bucket != null && !bucket.tryConsume(1);
            if (options.latencyMillis() > 0) {
                TimeUnit.MILLISECONDS.sleep(options.latencyMillis());
            }
            inFlight.decrementAndGet();
            answered = true;
            answer(exchange, limited, sent, arrived);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!answered) {
                inFlight.decrementAndGet();
            }
        }
    }

    private void answer(HttpExchange exchange, boolean limited, byte[] sent, long arrived) throws IOException {
        String method = exchange.getRequestMethod();
        Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
        if (!path.matches()) {
            send(exchange, 404, Map.of("error", "Not found"));
            return;
        }
        if (!path.group(1).equals(instanceId) || !path.group(2).equals(token)) {
            send(exchange, 404, Map.of("error", "Instance not found"));
            return;
        }
        String sentClientToken = exchange.getRequestHeaders().getFirst("Client-Token");
        if (sentClientToken == null || sentClientToken.isBlank() || chance(options.clientTokenFlakiness())) {
            send(exchange, 400, Map.of("error", "your client-token is not configured"));
            return;
        }
        if (!sentClientToken.equals(clientToken)) {
            send(exchange, 403, Map.of("error", "Client-Token inválido"));
            return;
        }
        if (limited) {
            rateLimited.incrementAndGet();
            exchange.getResponseHeaders().add("Retry-After", "1");
            send(exchange, 429, Map.of("error", "Too many requests, wait a few minutes"));
            return;
        }
        if (chance(options.failureRate())) {
            send(exchange, 500, Map.of("error", "Internal server error"));
            return;
        }
        String operation = path.group(3);
        String argument = path.group(4);
        if (argument != null && operation.endsWith("invitation-link")) {
            linkRequests.computeIfAbsent(argument, id -> new AtomicInteger()).incrementAndGet();
            linkTimeline.arrived(arrived);
        }
        switch (operation) {
            case "group-invitation-link" -> invitationLink(exchange, method, argument);
            case "redefine-invitation-link" -> redefineLink(exchange, method, argument);
            case "group-invitation-metadata" -> metadata(exchange, method);
            case "status" -> send(exchange, 200, Map.of("connected", true, "smartphoneConnected", true));
            case "groups" -> listGroups(exchange, method, arrived);
            case "update-webhook-received" -> registerWebhook(exchange, method, sent);
            default -> send(exchange, 404, Map.of("error", "Not found"));
        }
    }

    /** Z-API's {@code PUT /update-webhook-received}: {@code {"value": "<url>"}} is where callbacks go from now on. */
    private void registerWebhook(HttpExchange exchange, String method, byte[] sent) throws IOException {
        if (!method.equals("PUT")) {
            send(exchange, 405, Map.of("error", "Method not allowed"));
            return;
        }
        try {
            webhook = URI.create(json.readTree(sent).path("value").asText());
        } catch (IllegalArgumentException | IOException e) {
            send(exchange, 400, Map.of("error", "value must be a URL"));
            return;
        }
        send(exchange, 200, Map.of("value", true));
    }

    /** Where callbacks go, as a registration would set it: demo mode gives the service's local URL, which Z-API would not take. */
    public void sendCallbacksTo(URI url) {
        webhook = url;
    }

    /**
     * Posts a group notification to the webhook, as Z-API posts an on-message-received callback when someone
     * joins, leaves or asks to join a group; returns the HTTP status the service answered with.
     */
    public int postGroupNotification(String groupId, String notification) throws IOException, InterruptedException {
        URI to = webhook;
        if (to == null) {
            throw new IllegalStateException("no webhook registered with the simulator");
        }
        Map<String, Object> callback = new java.util.LinkedHashMap<>();
        callback.put("isGroup", true);
        callback.put("isNewsletter", false);
        callback.put("instanceId", instanceId);
        callback.put("messageId", Long.toHexString(random.nextLong()).toUpperCase(java.util.Locale.ROOT));
        callback.put("phone", groupId);
        callback.put("fromMe", false);
        callback.put("momment", System.currentTimeMillis());
        callback.put("status", "RECEIVED");
        callback.put("participantPhone", "5511900000000");
        callback.put("type", "ReceivedCallback");
        callback.put("notification", notification);
        callback.put("notificationParameters", List.of("5511900000000"));
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(to).timeout(java.time.Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(callback)))
                .build();
        return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void invitationLink(HttpExchange exchange, String method, String groupId) throws IOException {
        if (!options.linkMethods().contains(method)) {
            send(exchange, 405, Map.of("error", "Method not allowed"));
            return;
        }
        if (!contentTypeAccepted(exchange, method)) {
            return;
        }
        if (groupId == null || SimulatedGroups.missing(groupId)) {
            send(exchange, 404, Map.of("error", "Group not found"));
            return;
        }
        send(exchange, 200, Map.of("phone", groupId, "invitationLink", groups.invitationLink(groupId)));
    }

    private void redefineLink(HttpExchange exchange, String method, String groupId) throws IOException {
        if (!method.equals("POST")) {
            send(exchange, 405, Map.of("error", "Method not allowed"));
            return;
        }
        if (!contentTypeAccepted(exchange, method)) {
            return;
        }
        if (groupId == null || SimulatedGroups.missing(groupId)) {
            send(exchange, 404, Map.of("error", "Group not found"));
            return;
        }
        redefined.incrementAndGet();
        send(exchange, 200, Map.of("invitationLink", groups.redefineLink(groupId)));
    }

    private void metadata(HttpExchange exchange, String method) throws IOException {
        if (!method.equals("GET")) {
            send(exchange, 405, Map.of("error", "Method not allowed"));
            return;
        }
        if (!contentTypeAccepted(exchange, method)) {
            return;
        }
        String link = queryParameter(exchange.getRequestURI().getRawQuery(), "url")
                .or(() -> queryParameter(exchange.getRequestURI().getRawQuery(), "URL")).orElse(null);
        Optional<String> group = groups.groupOfLink(link);
        if (group.isEmpty()) {
            send(exchange, 404, Map.of("error", "Invitation link not found"));
            return;
        }
        if (SimulatedGroups.metadataBroken(group.get())) {
            send(exchange, 500, Map.of("error", "Could not load group metadata"));
            return;
        }
        send(exchange, 200, groups.metadata(group.get()));
    }

    /** GET /groups?page=N&pageSize=M: both required (the docs), pages from 1, a short or empty page at the end. */
    private void listGroups(HttpExchange exchange, String method, long arrived) throws IOException {
        if (!method.equals("GET")) {
            send(exchange, 405, Map.of("error", "Method not allowed"));
            return;
        }
        if (!contentTypeAccepted(exchange, method)) {
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        Optional<Integer> page = queryParameter(query, "page").flatMap(ZapiSimulator::positive);
        Optional<Integer> pageSize = queryParameter(query, "pageSize").flatMap(ZapiSimulator::positive);
        if (page.isEmpty() || pageSize.isEmpty()) {
            send(exchange, 400, Map.of("error", "page and pageSize are required"));
            return;
        }
        if (chats.failing(page.get())) {
            send(exchange, 500, Map.of("error", "Internal server error"));
            return;
        }
        List<Map<String, Object>> answer = chats.page(page.get(), pageSize.get());
        int linksBefore = linkTimeline.count();
        // the listing changes after this page is read and before the client can ask for the next one
        chats.served(page.get());
        send(exchange, 200, answer);
        pageRequests.add(new PageRequest(page.get(), arrived, System.nanoTime(), linksBefore,
                (int) answer.stream().filter(SimulatedChats::isGroup).count()));
    }

    private static Optional<Integer> positive(String value) {
        try {
            int n = Integer.parseInt(value);
            return n > 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** POST needs a JSON Content-Type (the page's 415); with requireAccept, every call needs Accept too. */
    private boolean contentTypeAccepted(HttpExchange exchange, String method) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        boolean ok = !method.equals("POST") || (contentType != null && contentType.startsWith("application/json"));
        if (ok && options.requireAccept()) {
            ok = accept != null && accept.contains("application/json");
        }
        if (!ok) {
            send(exchange, 415, Map.of("error", "Unsupported Media Type"));
        }
        return ok;
    }

    private boolean chance(double rate) {
        if (rate <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < rate;
        }
    }

    private static Optional<String> queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        // one request per connection: the JDK's HttpServer loses requests on reused connections under load
        // (clients then wait for their timeout), which would make the simulator, not the client, the bottleneck
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

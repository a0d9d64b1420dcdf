package zapi.grouproutes.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real HTTP client (java.net.http) against the running API, with or without a key. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI base;

    ApiClient(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    ApiClient(URI base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** What goes into zapi.api.keys for {@code key}: its SHA-256, hex. */
    static String hashOf(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), key);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String key) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(20));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON body POSTed without a key: what Z-API sends to the webhook. */
    HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), null);
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}

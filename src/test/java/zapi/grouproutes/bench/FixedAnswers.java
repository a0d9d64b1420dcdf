package zapi.grouproutes.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@link FixedAnswerServer} in a JVM of its own, so its CPU is not the client's; closing it ends that JVM. */
final class FixedAnswers implements AutoCloseable {

    /** What the server has seen since the last reset: requests, and the epoch ms of the first and the last. */
    record Stats(long requests, long firstMillis, long lastMillis) {
    }

    private final Process server;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    FixedAnswers(long latencyMillis) throws IOException {
        server = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), FixedAnswerServer.class.getName(), String.valueOf(latencyMillis)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (port == null) {
            server.destroy();
            throw new IllegalStateException("FixedAnswerServer did not start");
        }
        base = "http://127.0.0.1:" + port;
    }

    String base() {
        return base;
    }

    void reset() throws IOException, InterruptedException {
        get("/_reset");
    }

    Stats stats() throws IOException, InterruptedException {
        String[] answer = get("/_stats").split(" ");
        return new Stats(Long.parseLong(answer[0]), Long.parseLong(answer[1]), Long.parseLong(answer[2]));
    }

    private String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() {
        server.destroy();
    }
}

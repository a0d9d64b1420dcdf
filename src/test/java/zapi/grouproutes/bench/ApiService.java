package zapi.grouproutes.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import zapi.grouproutes.database.Database;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.ServiceRun;
import zapi.grouproutes.support.TestDatabase;

/**
 * The product in service mode with its HTTP door on a free loopback port, an API key, the inbox source (for the
 * groups a benchmark stores or the batch it runs, {@link #deliver}) and the database sink on {@code database}, against
 * {@code zapi}. The per-key request rate is raised out of the way: the benchmarks measure the door, not its 429s.
 */
final class ApiService implements AutoCloseable {

    static final String KEY = "bench-key-5f0c2a9e7d4b1386a2c4e6f8b0d2f4a6";

    private final ServiceRun run;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;

    private ApiService(ServiceRun run, URI base, Path dir) {
        this.run = run;
        this.base = base;
        this.dir = dir;
    }

    /** A batch: {@code groups} IDs of BenchBatch's format written beside the inbox, then moved in whole. */
    void deliver(String name, int groups) throws IOException {
        Path file = dir.resolve(name);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < groups; i++) {
                out.write(BenchBatch.groupId(i));
                out.newLine();
            }
        }
        Files.move(file, dir.resolve("inbox").resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Starts the service, its inbox empty, and waits until its door answers; {@code extra} settings go last. */
    static ApiService start(Path dir, ZapiSimulator zapi, TestDatabase database, Map<String, String> extra) throws Exception {
        int port = freePort();
        Map<String, String> settings = new HashMap<>(BenchBatch.settings(dir, zapi, 0));
        Files.delete(dir.resolve("inbox").resolve("bench.txt"));
        settings.putAll(database.settings());
        settings.put("zapi.mode", "service");
        settings.put("zapi.sources", "inbox,http");
        settings.put("zapi.sinks", "jdbc");
        settings.put("zapi.observe.enabled", "false");
        settings.put("zapi.inbox.min-file-age-ms", "100");
        settings.put("zapi.http.host", "127.0.0.1");
        settings.put("zapi.http.port", String.valueOf(port));
        settings.put("zapi.api.keys", "bench:" + sha256(KEY));
        settings.put("zapi.api.rate.requests-per-second", "1000000");
        settings.putAll(extra);
        ApiService service = new ApiService(ServiceRun.start(settings), URI.create("http://127.0.0.1:" + port), dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            if (service.run.exit().isDone()) {
                throw new NotMeasured("the service ended before its HTTP door answered");
            }
            try {
                if (service.get("/api/openapi.json").statusCode() == 200) {
                    return service;
                }
            } catch (IOException notYet) {
                // the server is starting
            }
            if (System.nanoTime() > deadline) {
                service.close();
                throw new NotMeasured("the service's HTTP door did not answer within 90 s");
            }
            Thread.sleep(100);
        }
    }

    URI base() {
        return base;
    }

    /** The pool the product's routes read and write through: baselines use this one, so only the door differs. */
    Database database() {
        return run.app().camelContext().getRegistry().lookupByNameAndType("database", Database.class);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String sha256(String key) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** A graceful stop; a service that does not stop in 30 s is left to BenchmarkRun's exit. */
    @Override
    public void close() throws Exception {
        int exit = run.stop();
        if (exit != 0 && exit != 2) {
            System.err.println("the service exited " + exit + " when stopped");
        }
    }
}

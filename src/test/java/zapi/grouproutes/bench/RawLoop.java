package zapi.grouproutes.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The baseline the product is measured against ({@link CallPathBenchmark}): the least a program can do for
 * the same result. A plain {@code java.net.http} loop on N threads, reading the same input file, making the
 * same two calls per group (the link, then the metadata by that link, with the Client-Token) and writing
 * one CSV line per group. No retries, no rate limit, no checks: it is a floor, not a product.
 *
 * <pre>java ... RawLoop baseUrl instanceId token clientToken input.txt threads output.csv</pre>
 */
public final class RawLoop {

    private RawLoop() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0] + "/instances/" + args[1] + "/token/" + args[2];
        String clientToken = args[3];
        Path input = Path.of(args[4]);
        int threads = Integer.parseInt(args[5]);
        Path output = Path.of(args[6]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            out.write("group_id,invitation_link,subject,participants\n");
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread worker = new Thread(() -> work(http, json, base, clientToken, in, out));
                // a request that failed fails the measurement, not just its thread
                worker.setUncaughtExceptionHandler((thread, failure) -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
    }

    /**
     * One request, sent again if the connection failed: java.net.http 17 now and then closes a pooled connection
     * under a request it just gave it ("HTTP/1.1 header parser received no bytes ... connection closed locally").
     */
    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static void work(HttpClient http, ObjectMapper json, String base, String clientToken, BufferedReader in, BufferedWriter out) {
        try {
            while (true) {
                String line;
                synchronized (in) {
                    line = in.readLine();
                }
                if (line == null) {
                    return;
                }
                String group = line.strip();
                if (group.isEmpty()) {
                    continue;
                }
                HttpResponse<String> link = send(http, HttpRequest.newBuilder(URI.create(base + "/group-invitation-link/" + group))
                        .timeout(Duration.ofSeconds(30)).header("Client-Token", clientToken).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
                String invitationLink = json.readTree(link.body()).path("invitationLink").asText();
                HttpResponse<String> metadata = send(http, HttpRequest.newBuilder(URI.create(base + "/group-invitation-metadata?url="
                        + URLEncoder.encode(invitationLink, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30))
                        .header("Client-Token", clientToken).GET().build());
                JsonNode answer = json.readTree(metadata.body());
                String row = group + "," + invitationLink + ",\"" + answer.path("subject").asText().replace("\"", "\"\"") + "\","
                        + answer.path("participants").size() + "\n";
                synchronized (out) {
                    out.write(row);
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package zapi.grouproutes.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A baseline: the JDK's own {@code HttpServer} answering {@link BaselineAnswers}, with as many threads as the pool
 * has connections (each request holds one while it runs).
 */
final class BareJdkServer implements Baseline {

    private final HttpServer server;
    private final ExecutorService threads;

    BareJdkServer(BaselineAnswers answers, int threads) throws IOException {
        this.threads = Executors.newFixedThreadPool(threads);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(this.threads);
        server.createContext(BaselineAnswers.GROUPS, exchange -> answer(exchange, () -> answers.group(exchange.getRequestURI().getPath())));
        server.createContext(BaselineAnswers.WEBHOOKS, exchange -> answer(exchange, () -> {
            try (InputStream in = exchange.getRequestBody()) {
                return answers.webhook(in.readAllBytes());
            }
        }));
        server.start();
    }

    @Override
    public String name() {
        return "bare JDK HttpServer";
    }

    @Override
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private interface Body {
        byte[] json() throws Exception;
    }

    private static void answer(HttpExchange exchange, Body body) throws IOException {
        try (exchange) {
            byte[] json;
            int status;
            try {
                json = body.json();
                status = json == null ? 404 : 200;
            } catch (Exception e) {
                json = null;
                status = BaselineAnswers.status(e);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, json == null ? -1 : json.length);
            if (json != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(json);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

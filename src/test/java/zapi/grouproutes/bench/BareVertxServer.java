package zapi.grouproutes.bench;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A baseline: a bare Vert.x {@code HttpServer} (the server the product's platform-http runs on) answering
 * {@link BaselineAnswers} on its worker pool, as many workers as the pool has connections; no router, no Camel.
 */
final class BareVertxServer implements Baseline {

    private final Vertx vertx;
    private final HttpServer server;

    BareVertxServer(BaselineAnswers answers, int workers) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(workers));
        server = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            if (path.startsWith(BaselineAnswers.GROUPS)) {
                answer(request, () -> answers.group(path));
            } else if (path.startsWith(BaselineAnswers.WEBHOOKS)) {
                request.body().onSuccess(body -> answer(request, () -> answers.webhook(body.getBytes())));
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public String name() {
        return "bare Vert.x HttpServer";
    }

    @Override
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    private interface Body {
        byte[] json() throws Exception;
    }

    private void answer(HttpServerRequest request, Body body) {
        vertx.<byte[]>executeBlocking(body::json, false).onComplete(done -> {
            if (done.failed()) {
                request.response().setStatusCode(done.cause() instanceof Exception e ? BaselineAnswers.status(e) : 500).end();
            } else if (done.result() == null) {
                request.response().setStatusCode(404).end();
            } else {
                request.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(done.result()));
            }
        });
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}

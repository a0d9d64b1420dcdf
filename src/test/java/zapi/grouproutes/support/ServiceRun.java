package zapi.grouproutes.support;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

import zapi.grouproutes.app.ZapiGroupRoutes;

/** The application in service mode on a thread of its own, as an operator runs it; stop() is the SIGTERM. */
public final class ServiceRun {

    private final ZapiGroupRoutes.Application app;
    private final CompletableFuture<Integer> exit;

    private ServiceRun(Map<String, String> settings) {
        this.app = new ZapiGroupRoutes.Application(settings);
        this.exit = CompletableFuture.supplyAsync(() -> {
            try {
                return app.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public static ServiceRun start(Map<String, String> settings) {
        return new ServiceRun(settings);
    }

    public ZapiGroupRoutes.Application app() {
        return app;
    }

    /**
     * Where health and metrics are served ({@code http://127.0.0.1:<port>}), once the application has
     * started; BatchRun sets port 0, so the server's actual port is asked for.
     */
    public URI observeUrl() {
        VertxPlatformHttpServer server = app.camelContext() == null ? null : app.camelContext().hasService(VertxPlatformHttpServer.class);
        if (server == null || server.getPort() <= 0) {
            throw new IllegalStateException("the health and metrics server is not running");
        }
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    /** The exit code, once the run has ended. */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** A graceful stop; returns the exit code. */
    public int stop() throws Exception {
        app.stop();
        return exit.get(30, TimeUnit.SECONDS);
    }
}

package zapi.grouproutes.support;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

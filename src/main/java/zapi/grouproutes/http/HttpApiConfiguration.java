package zapi.grouproutes.http;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.Settings;
import zapi.grouproutes.console.ConsoleServer;
import zapi.grouproutes.console.ConsoleSettings;
import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.GroupReadings;
import zapi.grouproutes.database.GroupSearch;
import zapi.grouproutes.database.LinkRotations;
import zapi.grouproutes.database.RunHistory;
import zapi.grouproutes.app.Intake;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.zapi.RequestBudget;

/**
 * The http source's beans (routes/sources/http-api.camel.yaml), and its gate on the server: {@link ApiGate}
 * before every route, and RFC 9457 answers for what Vert.x answers itself (no such path, a method the path
 * does not take, a body over the cap). The gate is installed as the routes begin to start, before any of them takes
 * requests; a server without it is refused, so no request can ever reach a route unauthenticated.
 * After Wiring: it reads the database Wiring opened.
 */
public final class HttpApiConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiConfiguration.class);
    /** Where the OpenAPI document is served. */
    static final String OPENAPI_PATH = "/api/openapi.json";

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        if (!HttpDoor.enabled(settings)) {
            return;
        }
        HttpDoor door = HttpDoor.read(settings);
        Database database = context.getRegistry().lookupByNameAndType("database", Database.class);
        if (database == null) {
            throw new IllegalArgumentException("zapi.sources contains http, whose answers come from the database sink: add jdbc to zapi.sinks (ZAPI_SINKS)");
        }
        // only here: Camel makes the document's route whenever the path is set, and it needs the server
        context.getRestConfiguration().setApiContextPath(OPENAPI_PATH);
        context.getRegistry().bind("groupQueries", new GroupQueries(new GroupReadings(database)));
        context.getRegistry().bind("lookups", new Lookups(door.maxIds()));
        // the lists the web console reads (routes/sources/http-api-views.camel.yaml)
        context.getRegistry().bind("viewQueries", new ViewQueries(new GroupSearch(database), new RunHistory(database), new LinkRotations(database),
                Clock.systemUTC()));
        context.getRegistry().bind("serviceOverview", new ServiceOverview(context.getRegistry().lookupByNameAndType("intake", Intake.class),
                context.getRegistry().lookupByNameAndType("batches", Batches.class),
                context.getRegistry().lookupByNameAndType("requestBudget", RequestBudget.class),
                () -> context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class),
                () -> context.getRegistry().lookupByNameAndType("scheduleTicks", zapi.grouproutes.schedule.ScheduleTicks.class), Clock.systemUTC()));
        bindBatches(context, settings, database);
        // a paused source is probed every zapi.intake.probe-interval-ms: try again after about one probe
        long probeMillis = settings.number("zapi.intake.probe-interval-ms", 5000);
        context.getRegistry().bind("problemAnswer", new ProblemAnswer(Math.max(1, (probeMillis + 999) / 1000)));
        ConsoleServer console = ConsoleSettings.console(settings, door);
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextRoutesStartingEvent) {
                    // the server has started (a service), and no route's consumer has registered on its router yet
                    install(context, door, zapi.grouproutes.webhook.WebhookSettings.enabled(settings), console);
                } else if (event instanceof CamelEvent.CamelContextStartedEvent) {
                    LOG.info("HTTP API on {}", door.describe());
                    LOG.info(console == null ? "Web console off (zapi.console.enabled=false, or zapi.api.auth=none: it signs in with an API key)"
                            : "Web console on " + (door.tls() ? "https" : "http") + "://" + door.host() + ":" + door.port() + "/console/");
                }
            }
        });
    }

    /** POST /api/batches and the ticks (routes/sources/http-batches.camel.yaml): the spool, and the status of every batch by id. */
    private static void bindBatches(CamelContext context, Settings settings, Database database) throws java.io.IOException {
        zapi.grouproutes.app.Intake intake = context.getRegistry().lookupByNameAndType("intake", zapi.grouproutes.app.Intake.class);
        BatchSpool spool = new BatchSpool(java.nio.file.Path.of(settings.text("zapi.api.batch-spool", "data/api-batches")),
                (int) settings.number("zapi.inbox.max-line-length", 4096), intake::httpTakesInput);
        context.getRegistry().bind("apiBatchSpool", spool);
        // the schedule's beans are made after these (ScheduleConfiguration): looked up when a request comes
        context.getRegistry().bind("apiBatches", new ApiBatches(spool, new RunHistory(database),
                context.getRegistry().lookupByNameAndType("batches", zapi.grouproutes.batch.Batches.class),
                () -> context.getRegistry().lookupByNameAndType("scheduleTicks", zapi.grouproutes.schedule.ScheduleTicks.class),
                java.time.Clock.systemUTC()));
    }

    static void install(CamelContext context, HttpDoor door, boolean webhookOn, ConsoleServer console) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(door.port()));
        if (router == null) {
            throw new IllegalStateException("the HTTP server for the http source did not start on port " + door.port() + ", so its gate cannot be installed");
        }
        router.route().order(Integer.MIN_VALUE).handler(new ApiGate(door, webhookOn, console));
        if (console != null) {
            console.install(router);
        }
        errorAnswers(router, door);
    }

    /**
     * What Vert.x would answer itself, as problems too: no operation for the request (404, 405), and a failure
     * in a handler, such as the body handler's 413 for a chunked body over the cap.
     */
    private static void errorAnswers(Router router, HttpDoor door) {
        router.route().order(Integer.MAX_VALUE).handler(new NoSuchOperation(router));
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (status == 413) {
                ApiGate.answer(ctx, Problem.tooLarge(door.maxBodyBytes()));
            } else if (status == 415) {
                ApiGate.answer(ctx, Problem.unsupportedMediaType("The body's Content-Type is not one this operation takes."));
            } else if (status >= 400 && status < 500) {
                ApiGate.answer(ctx, new Problem("/api/problems/bad-request", "Bad request", status, "The request could not be read."));
            } else {
                LOG.warn("API request {} {} failed in the server: {}", ctx.request().method(), ctx.normalizedPath(),
                        ctx.failure() == null ? "status " + status : ctx.failure().getClass().getName());
                ApiGate.answer(ctx, Problem.internal());
            }
        });
    }
}

package zapi.grouproutes.webhook;

import java.time.Clock;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.Settings;
import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.WebhookRechecks;
import zapi.grouproutes.http.HttpDoor;
import zapi.grouproutes.http.WebhookDoor;
import zapi.grouproutes.zapi.Credentials;

/**
 * The webhook source's beans and switches (routes/sources/zapi-webhooks.camel.yaml), on when
 * {@code zapi.webhook.secret} is set: its gate on the HTTP server (WebhookDoor), the {@code zapiWebhooks}
 * bean over the database's {@code zapi_webhook_recheck} table, and its metrics. After Wiring (its database and
 * credentials) and OperationsWiring (the meter registry).
 */
public final class WebhookConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        boolean on = WebhookSettings.enabled(settings);
        context.getPropertiesComponent().addOverrideProperty("zapi.webhook.register",
                String.valueOf(on && WebhookSettings.read(settings).publicUrl() != null));
        if (!on) {
            return;
        }
        WebhookSettings webhook = WebhookSettings.read(settings);
        Database database = context.getRegistry().lookupByNameAndType("database", Database.class);
        if (database == null) {
            throw new IllegalArgumentException("zapi.webhook.secret (ZAPI_WEBHOOK_SECRET) is set, and the webhook source records each callback's"
                    + " re-check in the database before it answers: add jdbc to zapi.sinks (ZAPI_SINKS)");
        }
        Credentials credentials = context.getRegistry().lookupByNameAndType("credentials", Credentials.class);
        ZapiWebhooks webhooks = new ZapiWebhooks(webhook, new WebhookRechecks(database), credentials, Clock.systemUTC());
        context.getRegistry().bind("zapiWebhooks", webhooks);
        context.getPropertiesComponent().addOverrideProperty("zapi.webhook.poll-delay-ms", String.valueOf(webhook.pollDelayMs()));
        metrics(context, webhooks);
        boolean apiToo = HttpDoor.enabled(settings);
        int port = (int) settings.number("zapi.http.port", 8080);
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextRoutesStartingEvent) {
                    VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
                    if (router == null) {
                        throw new IllegalStateException("the HTTP server for the webhook source did not start on port " + port
                                + ", so its gate cannot be installed");
                    }
                    WebhookDoor.install(router, webhook, apiToo);
                } else if (event instanceof CamelEvent.CamelContextStartedEvent) {
                    LOG.info("Z-API webhook on port {} at {}", port, webhook.describe());
                }
            }
        });
    }

    private static void metrics(CamelContext context, ZapiWebhooks webhooks) {
        MeterRegistry meters = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            return;
        }
        FunctionCounter.builder("zapi_webhook_callbacks", webhooks, ZapiWebhooks::acceptedCount).tag("outcome", "recheck")
                .tag("reason", "group-notification")
                .description("Z-API callbacks recorded as a group's pending re-check").register(meters);
        for (String why : new String[] {"not-received-callback", "not-group", "group-message", "other-notification", "not-a-group-id"}) {
            FunctionCounter.builder("zapi_webhook_callbacks", webhooks, w -> w.droppedCounts().containsKey(why) ? w.droppedCounts().get(why).get() : 0)
                    .tag("outcome", "dropped").tag("reason", why).description("Z-API callbacks answered 200 and dropped").register(meters);
        }
        FunctionCounter.builder("zapi_webhook_rechecks", webhooks, ZapiWebhooks::recheckedCount)
                .description("group re-checks the webhooks asked for, done (their results went through every sink)").register(meters);
    }
}

package zapi.grouproutes.app;

import java.net.URI;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.Settings;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.webhook.WebhookSettings;

/**
 * Demo mode with the webhook source: once the service has started, the simulator posts one
 * GROUP_PARTICIPANT_ADD callback for the first sample group to the service's own webhook, as Z-API does when
 * someone joins, so the log shows a join becoming a re-check one coalescing window later. The simulator is
 * given the local URL directly: a registration takes https only, and the demo listens on loopback HTTP.
 */
final class DemoWebhookJoin extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DemoWebhookJoin.class);
    /** The first group of samples/groups.txt. */
    static final String GROUP = "120363019502650977-group";
    static final String NOTIFICATION = "GROUP_PARTICIPANT_ADD";

    private final ZapiSimulator simulator;
    private final WebhookSettings webhook;
    private final URI callbackUrl;

    private DemoWebhookJoin(ZapiSimulator simulator, WebhookSettings webhook, URI callbackUrl) {
        this.simulator = simulator;
        this.webhook = webhook;
        this.callbackUrl = callbackUrl;
    }

    static void install(CamelContext context, ZapiSimulator simulator, Settings settings) {
        if (settings.text("zapi.http.tls.keystore", null) != null) {
            LOG.warn("DEMO MODE: TLS is on (ZAPI_HTTP_TLS_KEYSTORE), so the simulator, which trusts no certificate, posts no demo join to the webhook");
            return;
        }
        WebhookSettings webhook = WebhookSettings.read(settings);
        String host = settings.text("zapi.http.host", "0.0.0.0");
        // a wildcard bind is reached on loopback; an IPv6 literal needs its brackets in a URL
        host = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        URI url = URI.create("http://" + host + ":" + settings.number("zapi.http.port", 8080) + WebhookSettings.PATH_PREFIX + webhook.secret());
        context.getManagementStrategy().addEventNotifier(new DemoWebhookJoin(simulator, webhook, url));
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        // off the starting thread: the post waits for the service's own answer
        Thread post = new Thread(this::post, "demo-webhook-join");
        post.setDaemon(true);
        post.start();
    }

    private void post() {
        simulator.sendCallbacksTo(callbackUrl);
        try {
            int status = simulator.postGroupNotification(GROUP, NOTIFICATION);
            LOG.info("DEMO MODE: the simulator posted a {} callback for group {} to the webhook ({}<secret>), as Z-API does when someone joins;"
                    + " answered {}. The group is re-checked once its {} s coalescing window (ZAPI_WEBHOOK_COALESCE) has passed", NOTIFICATION, GROUP,
                    WebhookSettings.PATH_PREFIX, status, webhook.coalesce().toSeconds());
        } catch (Exception e) {
            LOG.warn("DEMO MODE: the simulator could not post the demo join to the webhook: {}", e.getClass().getSimpleName());
        }
    }
}

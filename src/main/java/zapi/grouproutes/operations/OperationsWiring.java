package zapi.grouproutes.operations;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.app.Intake;
import zapi.grouproutes.app.RunControl;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.database.GroupStore;
import zapi.grouproutes.instance.InstanceGroups;
import zapi.grouproutes.zapi.RequestBudget;
import zapi.grouproutes.zapi.RequestRate;
import zapi.grouproutes.zapi.ZapiClient;

/**
 * Health, metrics and progress (the {@code zapi.observe.*} and {@code zapi.progress-interval} settings).
 * Runs after {@code Wiring}, whose beans it instruments; {@link ObserveSwitch} has already decided whether
 * the endpoints are served.
 */
public final class OperationsWiring implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OperationsWiring.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Registry registry = context.getRegistry();
        RunControl runControl = registry.lookupByNameAndType("runControl", RunControl.class);
        Batches batches = registry.lookupByNameAndType("batches", Batches.class);
        if (runControl == null || batches == null) {
            throw new IllegalStateException("OperationsWiring must be configured after Wiring");
        }

        boolean serve = Boolean.parseBoolean(text(properties, "camel.management.enabled", "false"));
        String where = text(properties, "zapi.observe.host", "0.0.0.0") + ":" + text(properties, "zapi.observe.port", "8081");

        // the registry of Camel's own route metrics: camel-micrometer-prometheus has made and bound it
        // already when the endpoints are served; otherwise the meters go to one nobody scrapes
        MeterRegistry meters = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        // the budget's own rate: the gauge reports the limit the client enforces
        RequestRate rate = registry.lookupByNameAndType("requestBudget", RequestBudget.class).rate();
        registry.bind("requestRate", rate);
        registry.lookupByNameAndType("zapiClient", ZapiClient.class).reportTo(new ZapiRequestMetrics(meters, rate));
        GroupStore store = registry.lookupByNameAndType("groupStore", GroupStore.class);
        if (store != null) {
            store.reportTo(new GroupWriteMetrics(meters));
        }
        BatchMetrics.register(meters, batches);
        InstanceGroups instance = registry.lookupByNameAndType("instanceGroups", InstanceGroups.class);
        for (InstanceGroups.Hold reason : InstanceGroups.Hold.values()) {
            FunctionCounter.builder("zapi.instance.left.held", instance, i -> i.held(reason))
                    .description("Complete listings of the instance's groups that marked nothing LEFT as implausible, by reason")
                    .tag("reason", reason.tag())
                    .register(meters);
        }

        Duration interval = ProgressInterval.parse(text(properties, "zapi.progress-interval", "30"));
        properties.addOverrideProperty("zapi.progress-tick-ms", String.valueOf(ProgressLog.tick(interval).toMillis()));
        registry.bind("progressLog", new ProgressLog(batches, Clock.systemUTC(), interval));

        Intake intake = registry.lookupByNameAndType("intake", Intake.class);
        registry.bind("intakeHealthCheck", new IntakeHealthCheck(intake));
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // routes start after this; onCamelContextFullyStarted says they have
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                intake.running();
            }
        });

        if (serve) {
            LOG.info("Health on http://{}/observe/health (/live, /ready), metrics on http://{}/observe/metrics", where, where);
        }
    }

    private static String text(PropertiesComponent properties, String key, String fallback) {
        return ObserveSwitch.text(properties, key, fallback);
    }
}

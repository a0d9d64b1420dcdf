package zapi.grouproutes.app;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.batch.BatchInterruptedException;
import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.enrichment.GroupResult;
import zapi.grouproutes.intake.Failure;
import zapi.grouproutes.intake.UnitOfWork;
import zapi.grouproutes.source.KafkaRecords;
import zapi.grouproutes.zapi.Credentials;

/**
 * The intake: every enabled source with its own status, and the units of work they take (bean
 * {@code intake} of the source routes). A source route makes its unit here first, puts it on the exchange
 * ({@link UnitOfWork#PROPERTY}), and hands every failure to {@link #failed}, which classifies it once and
 * lets the unit decide. Readiness (IntakeHealthCheck) lists the sources.
 */
public final class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Credentials credentials;
    private final Batches batches;
    private final RunControl run;
    private final CamelContext context;

    Intake(List<String> enabled, Credentials credentials, Batches batches, RunControl run, CamelContext context) {
        this.credentials = credentials;
        this.batches = batches;
        this.run = run;
        this.context = context;
        for (String name : enabled) {
            sources.put(name, new Source(name, routeOf(name), new IntakeStatus()));
        }
    }

    /** Sources alone, without units of work: what readiness reads, for a test of the check. */
    public static Intake of(String... sources) {
        return new Intake(List.of(sources), null, null, null, null);
    }

    /** The route whose consumer takes a source's input (the schedule's: its Quartz trigger). */
    static String routeOf(String source) {
        return switch (source) {
            case "inbox" -> "inbox-files";
            case "kafka" -> "kafka-topic";
            case "jms" -> "jms-queue";
            case "schedule" -> "schedule";
            case "instance" -> "instance-groups";
            // the REST definition, not one route: the reads it serves never fail the source, and the
            // operations that enrich (lookups, batches) pause and stop it through their own units of work
            case "http" -> "http-api";
            // the poll of due re-checks; the callbacks' route only records them and never fails the source
            case "webhook" -> "zapi-webhook-rechecks";
            default -> throw new IllegalArgumentException("unknown source " + source);
        };
    }

    /** Every enabled source, in the order zapi.sources lists them. */
    public Collection<Source> sources() {
        return List.copyOf(sources.values());
    }

    /** The enabled source of this name, or null. */
    public Source source(String name) {
        return sources.get(name);
    }

    /** Startup is over: every source takes input. */
    public void running() {
        sources.values().forEach(source -> source.status().running());
    }

    /** A file of the inbox. */
    public UnitOfWork fileBatch(String fileName) {
        return new FileBatch(fileName, sources.get("inbox"), batches, run, context);
    }

    /** A tick of the schedule; its key is {@code schedule:<name>@<scheduled fire time>}. */
    public UnitOfWork tick(String inputKey) {
        return new TickBatch(inputKey, sources.get("schedule"), batches, run);
    }

    /** Batch mode's one batch of every group the instance is in; its key is {@code instance@<start time>}. */
    public UnitOfWork instanceBatch(String inputKey) {
        return new InstanceBatch(inputKey, sources.get(InstanceBatch.SOURCE), batches, run);
    }

    /** A poll of the Kafka topic: its records. */
    public UnitOfWork kafkaPoll(String topic, List<Exchange> records) throws BatchInterruptedException {
        Source kafka = sources.get("kafka");
        refuseWhenHeld(kafka);
        KafkaRecords commits = context.getRegistry().lookupByNameAndType("kafkaRecords", KafkaRecords.class);
        return new KafkaPoll(topic, records, commits, kafka, batches, run, context);
    }

    /** A poll of the re-checks Z-API's group webhooks asked for. */
    public UnitOfWork webhookPoll() throws BatchInterruptedException {
        Source webhook = sources.get("webhook");
        refuseWhenHeld(webhook);
        return new WebhookPoll(webhook, batches, run, context);
    }

    /** A message of the JMS queue, as it came. */
    public UnitOfWork jmsMessage(Exchange exchange, String queue, int maxDeliveries) throws BatchInterruptedException {
        Source jms = sources.get("jms");
        refuseWhenHeld(jms);
        return new JmsMessage(queue, maxDeliveries, exchange, jms, batches, run, context);
    }

    /**
     * An API request that enriches now (operation: lookups, refresh). While the http source is paused or
     * stopped it is refused with the cause as readiness shows it (503), before any Z-API request.
     */
    public UnitOfWork httpRequest(String operation) throws zapi.grouproutes.intake.SourceHeldException {
        httpTakesRequests();
        return new HttpRequest(operation, sources.get("http"), batches, run, context);
    }

    /** An API request that starts work later (a posted batch, a tick): refused while the http source is paused or stopped (503). */
    public void httpTakesRequests() throws zapi.grouproutes.intake.SourceHeldException {
        Source http = sources.get("http");
        IntakeStatus.State state = http.status().state();
        if (state == IntakeStatus.State.STOPPED || state == IntakeStatus.State.PAUSED) {
            throw new zapi.grouproutes.intake.SourceHeldException(http.name(), state == IntakeStatus.State.PAUSED, http.status().cause());
        }
    }

    /** Whether the http source takes input now: the API's spool is not read while it is paused or stopped. */
    public boolean httpTakesInput() {
        IntakeStatus.State state = sources.get("http").status().state();
        return state != IntakeStatus.State.STOPPED && state != IntakeStatus.State.PAUSED;
    }

    /** A list posted to the API, spooled under {@code id}; refused untouched (it stays spooled) while the http source is held. */
    public UnitOfWork apiBatch(String id) throws BatchInterruptedException {
        Source http = sources.get("http");
        refuseWhenHeld(http);
        return new ApiBatch(id, http, batches, run, context);
    }

    /** {@code POST /api/batches?from=instance}: one batch of every group the instance is in, keyed {@code instance@<start time>}. */
    public UnitOfWork apiInstanceBatch(String inputKey) {
        return new InstanceBatch(inputKey, sources.get("http"), batches, run);
    }

    /**
     * A stream source that is stopped or paused is on its way down or held, but its consumer may still hand
     * over input meanwhile: the route stop waits for what is in flight, the broker redelivers a rolled-back
     * JMS message at once, and the Kafka consumer seeks back and polls the same records again. That input
     * goes back untouched (a shutdown-kind failure: not acknowledged, not counted as a delivery of a bad
     * message) instead of spending Z-API requests on a cause already known.
     */
    private static void refuseWhenHeld(Source source) throws BatchInterruptedException {
        IntakeStatus.State state = source.status().state();
        if (state == IntakeStatus.State.STOPPED || state == IntakeStatus.State.PAUSED) {
            throw new BatchInterruptedException("source " + source.name() + " is " + state.name().toLowerCase(java.util.Locale.ROOT)
                    + ": " + source.status().cause());
        }
    }

    /** A batch's run row and report begin; the batch then ends with the source's exchange, however that ends. */
    public void begin(Exchange exchange, UnitOfWork unit, String inputKey, Long expectedEntries) throws Exception {
        unit.begin(inputKey, expectedEntries);
        if (unit.batch() != null) {
            batches.endsWith(exchange, unit.batch());
        }
    }

    public void settled(UnitOfWork unit, GroupResult result) {
        if (unit == null) {
            batches.delivered(result, null);
        } else {
            unit.settled(result);
        }
    }

    public void complete(UnitOfWork unit) throws Exception {
        unit.complete();
    }

    /**
     * The one place a failure of a unit of work arrives (the routeConfigurations' last step): classified
     * once, then the unit decides what it does to its input and its source.
     */
    public void failed(Exchange exchange) {
        Failure failure = Failure.of(exchange, credentials);
        UnitOfWork unit = UnitOfWork.of(exchange);
        if (unit == null) {
            failedOutsideAUnit(exchange.getFromRouteId(), failure);
            return;
        }
        unit.failed(failure);
    }

    /**
     * A source route failed before it took a unit of work: an inbox's idle poll that cannot read its ledger
     * of published inputs, say. Nothing to acknowledge or roll back, but the source is held the same way:
     * a batch-mode run ends with code 2 (an idle poll that could not look is no drained inbox), a service's
     * source pauses on a transient cause and stops on any other, so the failure is said once, not at every poll.
     */
    private void failedOutsideAUnit(String routeId, Failure failure) {
        Source source = sources.values().stream().filter(s -> s.routeId().equals(routeId)).findFirst().orElse(null);
        if (failure.is(Failure.Kind.SHUTDOWN)) {
            return;
        }
        if (source == null || run == null) {
            LOG.error("Route {} failed before it took a unit of work: {}", routeId, failure.reason());
            return;
        }
        source.holdPolls(context);
        if (run.mode() == RunMode.BATCH) {
            run.unitStopped();
            LOG.error("Source {} stopped: {}. Its input stays where it is for a re-run.", source.name(), failure.reason());
            run.endBatchRun();
        } else if (failure.is(Failure.Kind.TRANSIENT)) {
            if (source.pause(failure.reason(), context)) {
                LOG.error("Source {} stopped taking input: {}. It resumes by itself once Z-API and the database answer again.",
                        source.name(), failure.reason());
            }
        } else if (source.stop(failure.reason(), context)) {
            run.unitStopped();
            LOG.error("Source {} stopped: {}", source.name(), failure.reason());
            source.sayStopped();
        }
    }

    /**
     * An input that cannot leave the inbox (its move out failed) would be read again at every poll: one
     * ERROR, then in service mode the inbox source stopped, and readiness DOWN with the reason; in batch
     * mode the run ends with exit code 2. Only the first call acts.
     */
    void inputStuck(String reason) {
        Source inbox = sources.get("inbox");
        String safe = credentials.redact(reason);
        inbox.holdPolls(context);
        run.unitStopped();
        if (run.mode() == RunMode.BATCH) {
            LOG.error("{}; ending the batch mode run with exit code {}", safe, RunControl.EXIT_BATCH_STOPPED);
            run.endBatchRun();
        } else if (inbox.stop(safe, context)) {
            LOG.error("{}; the inbox source is stopped until the file is moved or removed and the service restarted", safe);
        }
    }

    /** A JMS message that goes to the dead-letter queue: the message as it came, whatever enrichment made of it. */
    public void asItCame(Exchange exchange) {
        exchange.setMessage(((JmsMessage) UnitOfWork.of(exchange)).original());
    }
}

package zapi.grouproutes.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import zapi.grouproutes.app.ZapiGroupRoutes;
import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.EmbeddedKafka;

/**
 * Is the broker path as fast as the file path? The same groups, at the same concurrency and with a rate
 * limit far above what the machine can do, go file → topic sink (the baseline, a batch-mode run) and
 * Kafka topic → topic sink (a service-mode run) on a 1-partition and an 8-partition topic, against the
 * simulator at 0 ms and 100 ms. Both paths write to the same embedded broker, so the only difference is
 * the source. Not a test: {@code BENCH=BrokerPathBenchmark bench/run [groups-at-0ms groups-at-100ms
 * concurrency] [key=value ...]} (0 groups skips that latency; the settings apply to every run, e.g.
 * zapi.kafka.max-poll-records=1000).
 */
public final class BrokerPathBenchmark {

    private static final String INSTANCE = "bench";
    private static final String TOKEN = "bench-token";
    private static final String CLIENT_TOKEN = "bench-client-token";
    private static int runs;

    public static void main(String[] args) throws Exception {
        int fastGroups = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int slowGroups = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Map<String, String> extra = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            extra.put(kv[0], kv[1]);
        }
        Map<String, Double> table = new LinkedHashMap<>();
        // started here: outside JUnit no extension starts it
        try (EmbeddedKafka kafka = new EmbeddedKafka().start(); Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            // warm-up (JIT, the broker's first topics); not reported
            file(kafka, admin, 0, 2_000, concurrency, extra);
            broker(kafka, admin, 0, 2_000, 1, concurrency, extra);
            System.out.println();
            for (long latency : new long[] {0, 100}) {
                int groups = latency == 0 ? fastGroups : slowGroups;
                if (groups == 0) {
                    continue;
                }
                table.put(latency + " ms, file", file(kafka, admin, latency, groups, concurrency, extra));
                table.put(latency + " ms, topic 1 partition", broker(kafka, admin, latency, groups, 1, concurrency, extra));
                table.put(latency + " ms, topic 8 partitions", broker(kafka, admin, latency, groups, 8, concurrency, extra));
            }
        }
        System.out.printf(Locale.ROOT, "%n%-26s %9s %14s   concurrency %d %s%n", "latency, source", "groups/s", "broker/file", concurrency, extra);
        table.forEach((name, rate) -> {
            double file = table.get(name.substring(0, name.indexOf(',')) + ", file");
            System.out.printf(Locale.ROOT, "%-26s %9.0f %13.0f%%%n", name, rate, 100 * rate / file);
        });
    }

    /** The baseline: the groups as a file in the inbox, results to the topic sink. */
    static double file(EmbeddedKafka kafka, Admin admin, long latency, int groups, int concurrency, Map<String, String> extra) throws Exception {
        String results = "file-" + (++runs) + ".results";
        System.out.printf(Locale.ROOT, "file → topic sink, %d ms, %d groups, concurrency %d%n", latency, groups, concurrency);
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("zapi.sinks", "topic");
        settings.put("zapi.kafka.brokers", kafka.bootstrapServers());
        settings.put("zapi.topic", results);
        double rate = EnrichmentBenchmark.run(latency, groups, concurrency, 1_000_000, settings);
        expectEvents(admin, results, groups);
        return rate;
    }

    /**
     * The broker path: the groups already on a topic, read by a service-mode run. Timed from the first
     * Z-API request (after Camel's start and the consumer group's join, which a file run does not have
     * either) to the moment the last offset is committed, which comes after every sink.
     */
    static double broker(EmbeddedKafka kafka, Admin admin, long latency, int groups, int partitions, int concurrency,
            Map<String, String> extra) throws Exception {
        String name = "broker-" + (++runs);
        load(kafka, admin, name + ".ids", partitions, groups);
        try (ZapiSimulator zapi = new ZapiSimulator(INSTANCE, TOKEN, CLIENT_TOKEN,
                SimulatorOptions.defaults().withLatencyMillis(latency)).start()) {
            Map<String, String> settings = new HashMap<>();
            settings.put("zapi.mode", "service");
            settings.put("zapi.sources", "kafka");
            settings.put("zapi.sinks", "topic");
            settings.put("zapi.kafka.brokers", kafka.bootstrapServers());
            settings.put("zapi.kafka.topic", name + ".ids");
            settings.put("zapi.kafka.rejected-topic", name + ".rejected");
            settings.put("zapi.kafka.group-id", name);
            settings.put("zapi.topic", name + ".results");
            settings.put("zapi.base-url", zapi.baseUrl().toString());
            settings.put("zapi.instance-id", INSTANCE);
            settings.put("zapi.token", TOKEN);
            settings.put("zapi.client-token", CLIENT_TOKEN);
            settings.put("zapi.concurrency", String.valueOf(concurrency));
            settings.put("zapi.rate.requests-per-second", "1000000");
            // a batch-mode file run serves no health or metrics either
            settings.put("zapi.observe.enabled", "false");
            settings.putAll(extra);
            System.gc();
            ZapiGroupRoutes.Application app = new ZapiGroupRoutes.Application(settings);
            Thread service = new Thread(() -> {
                try {
                    app.run();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "bench-service");
            service.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (zapi.requestCount() == 0) {
                check(deadline, service);
                Thread.sleep(5);
            }
            long started = System.nanoTime();
            while (committed(admin, name) < groups) {
                check(deadline, service);
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            app.stop();
            service.join(TimeUnit.SECONDS.toMillis(60));
            expectEvents(admin, name + ".results", groups);
            System.out.printf(Locale.ROOT, "topic (%d partitions) → topic sink, %d ms, %d groups, concurrency %d, %s: %.1f s, %.0f groups/s%n",
                    partitions, latency, groups, concurrency, extra, seconds, groups / seconds);
            return groups / seconds;
        }
    }

    /**
     * Writes the groups to a new topic. Not with EmbeddedKafka.send: its idempotent producer, retrying a
     * batch refused as NOT_LEADER_OR_FOLLOWER by a partition created a moment before, got stuck on
     * OutOfOrderSequenceException for ever (8 partitions, once in a few runs). This one is not idempotent
     * and waits for every partition's leader first; the count check below catches any duplicate.
     */
    static void load(EmbeddedKafka kafka, Admin admin, String topic, int partitions, int groups) throws Exception {
        kafka.createTopic(topic, partitions);
        while (admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream().anyMatch(p -> p.leader() == null)) {
            Thread.sleep(50);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (String id : ids(groups)) {
                acks.add(producer.send(new ProducerRecord<>(topic, id)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        expectEvents(admin, topic, groups);
    }

    /** The same IDs EnrichmentBenchmark writes to its file: digits never end in 404 or 500, so every group is OK. */
    static List<String> ids(int groups) {
        return IntStream.range(0, groups).mapToObj(i -> String.format(Locale.ROOT, "120363%012d1-group", i)).toList();
    }

    private static void check(long deadline, Thread service) {
        if (System.nanoTime() > deadline || !service.isAlive()) {
            throw new NotMeasured("the service run ended or took over 10 minutes before every record was committed");
        }
    }

    static long committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                .filter(o -> o != null).mapToLong(o -> o.offset()).sum();
    }

    /** Exactly one record per group: a run counts only if no group was repeated (a re-read poll, a retried send). */
    private static void expectEvents(Admin admin, String topic, int groups) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        long events = admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        if (events != groups) {
            throw new NotMeasured(topic + " holds " + events + " events for " + groups + " groups");
        }
    }

    private BrokerPathBenchmark() {
    }
}

package zapi.grouproutes.app;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which sources feed the enrichment and which sinks take its results ({@code zapi.sources},
 * {@code zapi.sinks}), and the combinations that cannot work, refused before anything starts.
 *
 * <p>A file is a batch: it begins, ends, and gets a report and a run row. A topic or a queue is a stream
 * of single groups with no end, so the per-batch CSV report cannot hold its results; rather than leave
 * them out of it silently, a stream source with the {@code csv} sink is refused.
 */
record SourcesAndSinks(List<String> sources, List<String> sinks) {

    /** Every source there is; each has a route under routes/sources/ guarded by zapi.source.NAME.enabled. */
    static final List<String> KNOWN_SOURCES = List.of("inbox", "kafka", "jms", "schedule", "http", "webhook", "instance");
    /** The sources that are streams of single groups, not batches. */
    static final List<String> STREAM_SOURCES = List.of("kafka", "jms", "webhook");
    /**
     * Every sink there is, in the order their batches begin (they complete in reverse): the CSV sink names
     * the report when a batch begins, and the run table is COMPLETED before the report appears. The order
     * each result reaches them is deliver-result's pipeline (routes/sinks/deliver-result.camel.yaml), the
     * database last.
     */
    static final List<String> KNOWN_SINKS = List.of("csv", "topic", "jdbc");

    static SourcesAndSinks parse(String sources, String sinks, RunMode mode) {
        SourcesAndSinks chosen = new SourcesAndSinks(list("zapi.sources", sources, KNOWN_SOURCES), list("zapi.sinks", sinks, KNOWN_SINKS));
        List<String> streams = chosen.sources.stream().filter(STREAM_SOURCES::contains).toList();
        if (!streams.isEmpty() && chosen.sinks.contains("csv")) {
            throw new IllegalArgumentException("zapi.sinks contains csv, but " + named(streams)
                    + " is a stream of single groups with no end, and the csv sink writes one report per batch:"
                    + " set ZAPI_SINKS to jdbc and/or topic for stream sources, or run the stream in its own process");
        }
        if (!streams.isEmpty() && mode == RunMode.BATCH) {
            throw new IllegalArgumentException("zapi.mode is batch, but " + named(streams)
                    + " never runs dry: stream sources run in service mode (ZAPI_MODE=service)");
        }
        if (chosen.sources.contains("schedule") && !chosen.sinks.contains("jdbc")) {
            throw new IllegalArgumentException("zapi.sources contains schedule, which needs the jdbc sink (zapi.sinks): a tick lists the"
                    + " managed groups and compares their links with the ones stored, and its Quartz job store lives there");
        }
        if (chosen.sources.contains("http") && mode == RunMode.BATCH) {
            throw new IllegalArgumentException("zapi.mode is batch, but http (zapi.sources) answers requests and never runs dry:"
                    + " the http source runs in service mode (ZAPI_MODE=service)");
        }
        if (chosen.sources.contains("instance") && mode != RunMode.BATCH) {
            throw new IllegalArgumentException("zapi.sources contains instance, which is one batch of every group the instance is in:"
                    + " it runs in batch mode (ZAPI_MODE=batch). A service follows the instance with the schedule source"
                    + " (ZAPI_SOURCES=schedule, ZAPI_SCHEDULE_GROUPS=instance, ZAPI_SCHEDULE_CRON)");
        }
        if (chosen.sources.contains("instance") && chosen.sources.size() > 1) {
            throw new IllegalArgumentException("zapi.sources contains instance and " + String.join(", ", chosen.sources.stream()
                    .filter(source -> !source.equals("instance")).toList()) + ": a batch-mode run lists the instance alone (ZAPI_SOURCES=instance)");
        }
        if (chosen.sources.contains("http") && !chosen.sinks.contains("jdbc")) {
            throw new IllegalArgumentException("zapi.sources contains http, whose answers come from the database sink: add jdbc to zapi.sinks (ZAPI_SINKS)");
        }
        if (chosen.sources.contains("webhook") && !chosen.sinks.contains("jdbc")) {
            throw new IllegalArgumentException("zapi.webhook.secret (ZAPI_WEBHOOK_SECRET) is set, and the webhook source records each callback's"
                    + " re-check in the database before it answers: add jdbc to zapi.sinks (ZAPI_SINKS)");
        }
        if (chosen.sources.contains("schedule") && mode == RunMode.BATCH && chosen.sources.size() > 1) {
            throw new IllegalArgumentException("zapi.mode is batch with the schedule source and " + String.join(", ", chosen.sources.stream()
                    .filter(source -> !source.equals("schedule")).toList()) + ": a batch-mode run fires one tick alone (ZAPI_SOURCES=schedule)");
        }
        return chosen;
    }

    /** Stream sources as a refusal names them: the webhook is on by its secret, whether or not zapi.sources lists it. */
    private static String named(List<String> streams) {
        String names = String.join(" and ", streams) + " (zapi.sources)";
        return streams.contains("webhook") ? names + ", the webhook being on as zapi.webhook.secret (ZAPI_WEBHOOK_SECRET) is set," : names;
    }

    boolean hasSource(String name) {
        return sources.contains(name);
    }

    boolean hasSink(String name) {
        return sinks.contains(name);
    }

    private static List<String> list(String key, String value, List<String> known) {
        List<String> names = Arrays.stream(value.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .distinct().toList();
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(key + ": unknown name '" + name + "' (known: " + String.join(", ", known) + ")");
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(key + " is empty: " + (key.equals("zapi.sinks") ? "results would go nowhere" : "no group would come in"));
        }
        return names;
    }
}

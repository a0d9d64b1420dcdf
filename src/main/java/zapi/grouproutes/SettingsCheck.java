package zapi.grouproutes;

import static zapi.grouproutes.SettingRule.autoOrRate;
import static zapi.grouproutes.SettingRule.autoOrWhole;
import static zapi.grouproutes.SettingRule.cron;
import static zapi.grouproutes.SettingRule.decimal;
import static zapi.grouproutes.SettingRule.flag;
import static zapi.grouproutes.SettingRule.httpUrl;
import static zapi.grouproutes.SettingRule.interval;
import static zapi.grouproutes.SettingRule.listOf;
import static zapi.grouproutes.SettingRule.matching;
import static zapi.grouproutes.SettingRule.oneOf;
import static zapi.grouproutes.SettingRule.path;
import static zapi.grouproutes.SettingRule.rate;
import static zapi.grouproutes.SettingRule.topic;
import static zapi.grouproutes.SettingRule.whole;
import static zapi.grouproutes.SettingRule.zone;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting of config/application.properties checked by its type before anything starts, so that a
 * malformed value stops the run with one line naming the key, its environment variable, what was given and
 * a valid example, not with a parser's or Camel's message about something else. Rules that join two
 * settings (a topic that would feed itself) follow. The components check what needs more than the value
 * (a folder that must be writable, a database that must answer).
 */
public final class SettingsCheck {

    private static final String NAME = "[A-Za-z0-9._-]+";

    /** Each key and its type. A key of config/application.properties missing here is named in SettingsCheckTest with the reason. */
    public static final Map<String, SettingRule> RULES = Arrays.stream(new SettingRule[] {
            whole("camel.main.shutdown-timeout", 1, Long.MAX_VALUE, "30"),
            flag("camel.main.message-history"),
            flag("camel.main.auto-configuration-log-summary"),
            httpUrl("zapi.base-url", "https://api.z-api.io"),
            matching("zapi.instance-id", NAME, "letters, digits, '.', '_' or '-' (it is part of the URL path)", "3C4E5F...", false),
            matching("zapi.token", NAME, "letters, digits, '.', '_' or '-' (it is part of the URL path)", "the instance token Z-API shows", true),
            matching("zapi.client-token", "[\\x21-\\x7e]+", "printable characters without spaces (it is an HTTP header)",
                    "the account security token Z-API shows", true),
            oneOf("zapi.invitation-link-method", "POST", "GET"),
            whole("zapi.connect-timeout-ms", 1, Integer.MAX_VALUE, "5000"),
            whole("zapi.request-timeout-ms", 1, Integer.MAX_VALUE, "15000"),
            whole("zapi.http.connections", 1, 100_000, "66"),
            autoOrWhole("zapi.concurrency", 1, "auto or 8"),
            whole("zapi.concurrency.max", 4, 100_000, "64"),
            autoOrRate("zapi.rate.requests-per-second"),
            rate("zapi.rate.initial", "5"),
            rate("zapi.rate.max", "250"),
            oneOf("zapi.rate.scope", "instance", "cluster"),
            // -1 is Camel's "retry forever": never what a setting of retries means here
            whole("zapi.retry.max-redeliveries", 0, Integer.MAX_VALUE, "4"),
            whole("zapi.retry.initial-delay-ms", 0, Integer.MAX_VALUE, "500"),
            decimal("zapi.retry.multiplier", 1, "2"),
            whole("zapi.retry.max-delay-ms", 0, Integer.MAX_VALUE, "30000"),
            whole("zapi.retry-after-max-seconds", 0, Integer.MAX_VALUE, "120"),
            whole("zapi.client-token-error-limit", 1, Integer.MAX_VALUE, "5"),
            whole("zapi.outage.groups-in-a-row", 1, Integer.MAX_VALUE, "10"),
            whole("zapi.failures.same-in-a-row", 0, Integer.MAX_VALUE, "50"),
            oneOf("zapi.mode", "service", "batch"),
            path("zapi.inbox", "data/inbox"),
            whole("zapi.inbox.poll-delay-ms", 1, Integer.MAX_VALUE, "1000"),
            whole("zapi.inbox.min-file-age-ms", 0, Integer.MAX_VALUE, "5000"),
            matching("zapi.inbox.done-file-name", "[^/\\\\\\x00]+", "a file name without a folder", "${file:name}.ready", false),
            whole("zapi.inbox.max-line-length", 100, 1_000_000, "4096"),
            whole("zapi.intake.probe-interval-ms", 1, Integer.MAX_VALUE, "5000"),
            whole("zapi.intake.probe-max-interval-ms", 1, Integer.MAX_VALUE, "60000"),
            listOf("zapi.sources", "inbox or kafka,schedule", "inbox", "kafka", "jms", "schedule", "http", "webhook", "instance"),
            brokers("zapi.kafka.brokers"),
            topic("zapi.kafka.topic", "zapi.group-ids"),
            matching("zapi.kafka.group-id", "\\S+", "a consumer group name without spaces", "zapi-group-routes", false),
            topic("zapi.kafka.rejected-topic", "zapi.group-ids.rejected"),
            oneOf("zapi.kafka.auto-offset-reset", "earliest", "latest"),
            whole("zapi.kafka.max-poll-records", 1, Integer.MAX_VALUE, "20"),
            whole("zapi.kafka.max-poll-interval-ms", 1, Integer.MAX_VALUE, "600000"),
            whole("zapi.kafka.session-timeout-ms", 1, Integer.MAX_VALUE, "10000"),
            topic("zapi.topic", "zapi.group-results"),
            whole("zapi.topic.send-timeout-ms", 5100, Integer.MAX_VALUE, "15000"),
            brokers("camel.component.kafka.brokers"),
            flag("camel.component.kafka.enable-idempotence"),
            whole("camel.component.kafka.delivery-timeout-ms", 5100, Integer.MAX_VALUE, "15000"),
            whole("camel.component.kafka.max-block-ms", 1, Integer.MAX_VALUE, "15000"),
            oneOf("camel.component.kafka.request-required-acks", "all", "1", "0", "-1"),
            whole("camel.component.kafka.request-timeout-ms", 1, Integer.MAX_VALUE, "5000"),
            whole("camel.component.kafka.linger-ms", 0, Integer.MAX_VALUE, "5"),
            whole("zapi.topic.retry.max-redeliveries", 0, Integer.MAX_VALUE, "5"),
            whole("zapi.topic.retry.initial-delay-ms", 0, Integer.MAX_VALUE, "1000"),
            matching("zapi.jms.url", "(\\(?[a-z]+://\\S+)", "a broker URL", "tcp://broker:61616", false),
            matching("zapi.jms.queue", "\\S+", "a queue name without spaces", "zapi.group-ids", false),
            whole("zapi.jms.concurrent-consumers", 1, 100_000, "4"),
            whole("zapi.jms.max-deliveries", 1, Integer.MAX_VALUE, "5"),
            matching("zapi.jms.dead-letter-queue", "\\S+", "a queue name without spaces", "zapi.group-ids.DLQ", false),
            matching("zapi.schedule.name", "[A-Za-z0-9._-]{1,64}", "letters, digits, '.', '_' or '-' (at most 64)", "managed-groups", false),
            cron("zapi.schedule.cron"),
            zone("zapi.schedule.timezone"),
            new SettingRule("zapi.schedule.groups", v -> v.equalsIgnoreCase("database") || v.equalsIgnoreCase("instance")
                    || SettingRule.isPath(v) && v.toLowerCase(Locale.ROOT).matches(".*\\.(txt|csv)"),
                    "database, instance, or the path of a .txt or .csv list", "database, instance or lists/managed.csv", false),
            whole("zapi.instance.page-size", 1, 100_000, "500"),
            whole("zapi.instance.max-left-percent", 1, 100, "20"),
            whole("zapi.schedule.not-fetched-for-hours", 0, Integer.MAX_VALUE, "24"),
            listOf("zapi.schedule.statuses", "OK,PARTIAL", "OK", "PARTIAL", "FAILED"),
            oneOf("zapi.schedule.action", "check", "rotate"),
            flag("zapi.rotate.enabled"),
            flag("zapi.rotate.dry-run"),
            whole("zapi.rotate.max-groups", 1, Integer.MAX_VALUE, "100"),
            whole("zapi.schedule.cluster-checkin-ms", 1, Integer.MAX_VALUE, "7500"),
            whole("zapi.schedule.misfire-threshold-ms", 0, Integer.MAX_VALUE, "5000"),
            listOf("zapi.sinks", "csv,jdbc", "csv", "jdbc", "topic"),
            path("zapi.report-dir", "data/reports"),
            matching("zapi.db.url", "jdbc:(h2|postgresql|mariadb):\\S+", "a JDBC URL for H2, PostgreSQL or MariaDB",
                    "jdbc:postgresql://db:5432/zapi", false),
            whole("zapi.db.pool-size", 1, 10_000, "10"),
            whole("zapi.db.connect-timeout-ms", 250, Integer.MAX_VALUE, "5000"),
            whole("zapi.db.startup-wait-seconds", 0, Integer.MAX_VALUE, "300"),
            whole("zapi.db.readings-keep-days", 0, 36_500, "365"),
            whole("zapi.db.retry.max-redeliveries", 0, Integer.MAX_VALUE, "10"),
            whole("zapi.db.retry.initial-delay-ms", 0, Integer.MAX_VALUE, "1000"),
            decimal("zapi.db.retry.multiplier", 1, "2"),
            whole("zapi.db.retry.max-delay-ms", 0, Integer.MAX_VALUE, "30000"),
            oneOf("zapi.observe.enabled", "auto", "true", "false"),
            whole("zapi.observe.port", 0, 65535, "8081"),
            host("zapi.observe.host"),
            interval("zapi.progress-interval"),
            whole("zapi.http.port", 0, 65535, "8080"),
            host("zapi.http.host"),
            oneOf("zapi.api.auth", "keys", "none"),
            // name:sha256-hex of the key, comma separated; the hashes are not secrets, the keys never appear here
            matching("zapi.api.keys", "[A-Za-z0-9._-]+:[0-9a-fA-F]{64}(\\s*,\\s*[A-Za-z0-9._-]+:[0-9a-fA-F]{64})*",
                    "name:sha256-hex-of-the-key, comma separated", "ci:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", false),
            path("zapi.http.tls.keystore", "/etc/zapi/tls/keystore.p12"),
            rate("zapi.api.rate.requests-per-second", "10"),
            whole("zapi.api.max-body-bytes", 1, Integer.MAX_VALUE, "4194304"),
            whole("zapi.api.max-ids", 1, 100_000, "100"),
            whole("zapi.api.timeout-ms", 1, 3_600_000, "10000"),
            path("zapi.api.batch-spool", "data/api-batches"),
            flag("zapi.console.enabled"),
            whole("zapi.console.session-idle-minutes", 1, 1440, "30"),
            // the webhook source (routes/sources/zapi-webhooks): its secret path is its only authentication
            matching("zapi.webhook.secret", "[A-Za-z0-9_~.-]{32,}", "at least 32 characters of letters, digits, '-', '_', '.' or '~'"
                    + " (one URL path segment; make one with openssl rand -hex 24)", "the output of openssl rand -hex 24", true),
            whole("zapi.webhook.coalesce", 0, 86_400, "30"),
            matching("zapi.webhook.public-url", "(?i)https://[^\\s?#]+", "an https:// URL without a query (Z-API posts to HTTPS only)",
                    "https://zapi.example.com", false),
            whole("zapi.webhook.claim-lease-seconds", 1, 86_400, "300"),
            whole("zapi.webhook.poll-delay-ms", 1, Integer.MAX_VALUE, "1000"),
            whole("zapi.webhook.claim-batch", 1, 10_000, "50"),
            whole("camel.server.port", 0, 65535, "8080"),
            host("camel.server.host"),
            whole("camel.server.max-body-size", 1, Long.MAX_VALUE, "4194304"),
            whole("camel.management.port", 0, 65535, "8081"),
            host("camel.management.host"),
            flag("camel.server.enabled"),
            flag("camel.management.health-check-enabled"),
            matching("camel.management.health-path", "/\\S*", "a path starting with /", "/observe/health", false),
            flag("camel.management.metrics-enabled"),
            matching("camel.metrics.path", "/\\S*", "a path starting with /", "/observe/metrics", false),
            oneOf("camel.health.exposure-level", "default", "full", "oneline"),
            oneOf("camel.health.initial-state", "up", "down", "unknown"),
            flag("camel.management.info-enabled"),
            flag("camel.management.dev-console-enabled"),
            oneOf("zapi.log-level", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"),
            flag("zapi.demo"),
            path("zapi.demo.dir", "data/demo"),
            whole("zapi.demo.latency-ms", 0, 60_000, "25"),
    }).collect(Collectors.toMap(SettingRule::key, rule -> rule, (a, b) -> a, java.util.LinkedHashMap::new));

    private SettingsCheck() {
    }

    private static SettingRule brokers(String key) {
        return matching(key, "[^\\s,]+:\\d{1,5}(,\\s*[^\\s,]+:\\d{1,5})*", "host:port, comma separated", "kafka-1:9092,kafka-2:9092", false);
    }

    private static SettingRule host(String key) {
        return matching(key, "[A-Za-z0-9.:\\[\\]-]+", "a host name or IP address", "0.0.0.0", false);
    }

    /** Refuses the first malformed setting, in the order of config/application.properties, then the rules that join two. */
    public static void check(SettingSources sources) {
        check(sources::text);
    }

    /** {@link #check(SettingSources)} over any lookup (a value; null or blank when unset). */
    public static void check(Function<String, String> lookup) {
        for (SettingRule rule : RULES.values()) {
            String value = lookup.apply(rule.key());
            // a value that names another setting ({{zapi.observe.port}}) is that setting's to check
            if (value != null && !value.isBlank() && !value.contains("{{") && !rule.accepts().test(value.strip())) {
                throw new IllegalArgumentException(rule.refusal(value.strip()));
            }
        }
        List<String> sources = names(lookup.apply("zapi.sources"), "inbox");
        List<String> sinks = names(lookup.apply("zapi.sinks"), "csv,jdbc");
        if (sources.contains("kafka")) {
            String ids = orDefault(lookup.apply("zapi.kafka.topic"), "zapi.group-ids");
            if (ids.equals(orDefault(lookup.apply("zapi.kafka.rejected-topic"), "zapi.group-ids.rejected"))) {
                throw new IllegalArgumentException("zapi.kafka.rejected-topic (ZAPI_KAFKA_REJECTED_TOPIC) is '" + ids + "', the topic the kafka"
                        + " source reads (zapi.kafka.topic): every rejected record would be read again, for ever; name another topic,"
                        + " e.g. " + ids + ".rejected");
            }
            if (sinks.contains("topic") && ids.equals(orDefault(lookup.apply("zapi.topic"), "zapi.group-results"))) {
                throw new IllegalArgumentException("zapi.topic (ZAPI_TOPIC) is '" + ids + "', the topic the kafka source reads"
                        + " (zapi.kafka.topic): every result would come back in as input, for ever; name another topic, e.g. zapi.group-results");
            }
        }
    }

    private static List<String> names(String value, String fallback) {
        return Arrays.stream(orDefault(value, fallback).toLowerCase(Locale.ROOT).split(",")).map(String::strip).toList();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}

package zapi.grouproutes.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.group.ListedGroup;

/**
 * The {@code kafkaRecords} bean of routes/sources/kafka-topic.camel.yaml: a polled record as the entry it
 * names, and the offsets committed once every record of a poll has been through every sink.
 *
 * <p>Why commit this way: the route consumes in batching mode (a poll's records are enriched in parallel,
 * so a one-partition topic still runs at zapi.concurrency), and Camel 4.18.0's batching consumer must not
 * commit by itself: its auto-commit commits records not yet processed and its async manual commit never
 * reaches Kafka (CAMEL-23994). So auto-commit is off and this bean commits synchronously, per partition, the
 * highest offset of the poll, only after the whole poll was delivered. A poll that fails is not committed:
 * the consumer breaks off (breakOnFirstError), reconnects and reads again from the last commit.
 */
public final class KafkaRecords {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecords.class);

    /** The record's value as the entry it names; its offset is the entry's "line". */
    public ListedGroup entry(Exchange record) {
        Long offset = record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
        long position = offset == null ? 0 : offset;
        byte[] bytes = value(record);
        if (bytes == null) {
            return MessageEntry.of(null, position);
        }
        try {
            // strict: a value that is not UTF-8 text is rejected, not read with replacement characters
            String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return MessageEntry.of(text, position);
        } catch (java.nio.charset.CharacterCodingException e) {
            return ListedGroup.rejected("", position, "record value of " + bytes.length + " bytes is not UTF-8 text");
        }
    }

    /** The record's value as it was written (the consumer reads bytes), or null when it has none. */
    public byte[] value(Exchange record) {
        Object value = record.getMessage().getBody();
        return value == null ? null : value instanceof byte[] bytes ? bytes : value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The record's key as it was written, or null. */
    public Object key(Exchange record) {
        return record.getMessage().getHeader(KafkaConstants.KEY);
    }

    /**
     * Where the record sits: topic/partition/offset@timestamp, the same every time the record is read (the
     * events' id comes from it). The timestamp tells apart two records at one offset of a topic that was
     * deleted and created again, or mirrored.
     */
    public String position(Exchange record) {
        return record.getMessage().getHeader(KafkaConstants.TOPIC, String.class) + "/"
                + record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class) + "/"
                + record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class) + "@"
                + record.getMessage().getHeader(KafkaConstants.TIMESTAMP, Long.class);
    }

    /** After the whole poll was delivered: commits, per partition, its highest offset (synchronously). */
    public void commit(List<Exchange> records) {
        Map<Integer, Exchange> lastOfPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            Integer partition = record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            Exchange seen = lastOfPartition.get(partition);
            if (seen == null || offset(record) > offset(seen)) {
                lastOfPartition.put(partition, record);
            }
        }
        for (Exchange last : lastOfPartition.values()) {
            KafkaManualCommit commit = last.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit == null) {
                throw new IllegalStateException("no manual commit on a Kafka record: allowManualCommit must be true on the kafka-topic route");
            }
            commit.commit();
        }
        LOG.debug("Committed {} records over {} partitions", records.size(), lastOfPartition.size());
    }

    private static long offset(Exchange record) {
        return record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
    }
}

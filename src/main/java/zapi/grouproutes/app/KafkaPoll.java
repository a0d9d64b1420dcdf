package zapi.grouproutes.app;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

import zapi.grouproutes.batch.Batches;
import zapi.grouproutes.intake.Failure;
import zapi.grouproutes.source.KafkaRecords;

/**
 * One poll of the Kafka topic (routes/sources/kafka-topic): its records are enriched in parallel and its
 * offsets committed, synchronously, once every record went through every sink. A failure commits nothing:
 * the consumer reads the poll again from the last commit. The topic has no dead letters (a record that
 * names no group is REJECTED and copied to the rejected topic instead, which is not a failure), so bad
 * input stops the source like a cause that needs a person: skipping it would lose the poll's other records.
 */
public final class KafkaPoll extends StreamItem {

    private final String topic;
    private final List<Exchange> records;
    private final KafkaRecords commits;

    KafkaPoll(String topic, List<Exchange> records, KafkaRecords commits, Source source, Batches batches, RunControl run, CamelContext context) {
        super(source, batches, run, context);
        this.topic = topic;
        this.records = records;
        this.commits = commits;
    }

    @Override
    public String name() {
        return "kafka:" + topic;
    }

    /** The acknowledgement: the poll's offsets, per partition. */
    @Override
    public void complete() {
        commits.commit(records);
    }

    @Override
    void badInput(Failure failure) {
        personNeeded(failure);
    }
}

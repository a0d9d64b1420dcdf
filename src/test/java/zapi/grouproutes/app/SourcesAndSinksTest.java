package zapi.grouproutes.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SourcesAndSinksTest {

    @Test
    void namesAreTrimmedLowerCasedAndDeduplicated() {
        SourcesAndSinks chosen = SourcesAndSinks.parse(" Inbox ,inbox", "JDBC, csv,jdbc", RunMode.SERVICE);
        assertThat(chosen.sources()).containsExactly("inbox");
        assertThat(chosen.sinks()).containsExactly("jdbc", "csv");
    }

    @Test
    void anUnknownOrEmptyListIsRefusedWithWhatIsKnown() {
        assertThatThrownBy(() -> SourcesAndSinks.parse("inbox,ftp", "csv", RunMode.SERVICE))
                .hasMessageContaining("zapi.sources: unknown name 'ftp'").hasMessageContaining("known: inbox");
        assertThatThrownBy(() -> SourcesAndSinks.parse("inbox", "csv,s3", RunMode.SERVICE)).hasMessageContaining("zapi.sinks: unknown name 's3'");
        assertThatThrownBy(() -> SourcesAndSinks.parse(" , ", "csv", RunMode.SERVICE)).hasMessageContaining("no group would come in");
        assertThatThrownBy(() -> SourcesAndSinks.parse("inbox", ",", RunMode.SERVICE)).hasMessageContaining("results would go nowhere");
    }

    @Test
    void aStreamSourceWithTheCsvSinkOrInBatchModeIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> SourcesAndSinks.parse("inbox,kafka", "csv,jdbc", RunMode.SERVICE))
                .hasMessageContaining("zapi.sinks contains csv, but kafka (zapi.sources) is a stream").hasMessageContaining("ZAPI_SINKS");
        assertThatThrownBy(() -> SourcesAndSinks.parse("kafka", "jdbc,topic", RunMode.BATCH))
                .hasMessageContaining("stream sources run in service mode (ZAPI_MODE=service)");
        SourcesAndSinks chosen = SourcesAndSinks.parse("inbox,kafka", "jdbc,topic", RunMode.SERVICE);
        assertThat(chosen.sources()).containsExactly("inbox", "kafka");
        assertThat(chosen.sinks()).containsExactly("jdbc", "topic");
    }
}

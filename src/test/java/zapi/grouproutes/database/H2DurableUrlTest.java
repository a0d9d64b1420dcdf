package zapi.grouproutes.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2DurableUrlTest {

    @Test
    void anEmbeddedFileWritesEachCommitAndIsClosedByThePoolNotAtExit() {
        assertThat(Database.h2Durable("jdbc:h2:file:./data/zapi-groups")).isEqualTo("jdbc:h2:file:./data/zapi-groups;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(Database.h2Durable("jdbc:h2:./data/x;MODE=PostgreSQL")).endsWith(";MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    }

    @Test
    void whatTheUrlSaysIsKeptAndServersAndMemoryGetNoWriteDelay() {
        assertThat(Database.h2Durable("jdbc:h2:file:/d/x;write_delay=100")).isEqualTo("jdbc:h2:file:/d/x;write_delay=100;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.h2Durable("jdbc:h2:tcp://db:9092/x")).isEqualTo("jdbc:h2:tcp://db:9092/x;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.h2Durable("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.h2Durable("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }
}

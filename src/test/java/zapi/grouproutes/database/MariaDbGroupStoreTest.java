package zapi.grouproutes.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;

import zapi.grouproutes.enrichment.Results;
import zapi.grouproutes.support.TestDatabase;

class MariaDbGroupStoreTest extends GroupStoreContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return TestDatabase.mariadb();
    }

    /** DATETIME has no zone: what is stored must be UTC whatever zone the JVM runs in. */
    @Test
    void timesAreStoredAsUtcWhateverTheJvmZone() throws Exception {
        TimeZone jvmZone = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/Sao_Paulo"));
            store().write(Results.failed("120363019502650977-group", "HTTP_500", "down", Instant.parse("2026-11-20T10:00:00.123Z")), null);
        } finally {
            TimeZone.setDefault(jvmZone);
        }
        assertThat(testDatabase().rows("SELECT CAST(last_fetched_at AS CHAR) AS stored FROM zapi_group"))
                .containsExactly(java.util.Map.of("stored", "2026-11-20 10:00:00.123"));
    }
}

package zapi.grouproutes.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import zapi.grouproutes.simulator.SimulatorOptions;
import zapi.grouproutes.simulator.ZapiSimulator;
import zapi.grouproutes.support.BatchRun;
import zapi.grouproutes.support.TestDatabase;

/** The embedded default: an H2 file. */
class H2DatabaseSinkTest extends DatabaseSinkContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return TestDatabase.h2(dir);
    }

    @Test
    void withTheCsvSinkAloneNoDatabaseIsOpened() throws Exception {
        try (ZapiSimulator zapi = simulator(SimulatorOptions.defaults())) {
            BatchRun run = batch("run", zapi).with("zapi.sinks", "csv").input("groups.txt", LIST).run();
            assertThat(run.exitCode()).isZero();
            assertThat(run.reportRows()).hasSize(7);
            assertThat(Files.exists(dir.resolve("database").resolve("zapi-groups.mv.db"))).isFalse();
        }
    }
}

package zapi.grouproutes.database;

import java.nio.file.Path;

import zapi.grouproutes.support.TestDatabase;

/** The production target: the PostgreSQL on 127.0.0.1:5432, a fresh schema per test. */
class PostgresDatabaseSinkTest extends DatabaseSinkContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return TestDatabase.postgres();
    }
}

package zapi.grouproutes.database;

import java.nio.file.Path;

import zapi.grouproutes.support.TestDatabase;

/** The embedded default: an H2 file. */
class H2DatabaseSinkTest extends DatabaseSinkContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return TestDatabase.h2(dir);
    }
}

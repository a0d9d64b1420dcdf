package zapi.grouproutes.database;

import java.nio.file.Path;

import zapi.grouproutes.support.TestDatabase;

class H2GroupStoreTest extends GroupStoreContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return TestDatabase.h2(dir);
    }
}

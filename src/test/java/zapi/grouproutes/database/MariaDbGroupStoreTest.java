package zapi.grouproutes.database;

import java.nio.file.Path;

import zapi.grouproutes.support.TestDatabase;

class MariaDbGroupStoreTest extends GroupStoreContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return TestDatabase.mariadb();
    }
}

package zapi.grouproutes.database;

import java.nio.file.Path;

import zapi.grouproutes.support.TestDatabase;

/** MariaDB (its own migration set): the MariaDB on 127.0.0.1:3306, a fresh database per test. */
class MariaDbDatabaseSinkTest extends DatabaseSinkContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return TestDatabase.mariadb();
    }
}

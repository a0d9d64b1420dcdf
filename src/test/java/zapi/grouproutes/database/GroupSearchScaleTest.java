package zapi.grouproutes.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import zapi.grouproutes.support.ManyGroups;
import zapi.grouproutes.support.TestDatabase;

/**
 * The group list (GET /api/groups) over 100,000 stored groups on each database: a page filtered by status
 * is read from the (last_status, group_id) index and an unfiltered one from the primary key, as each
 * database's own plan says (not a wall-clock bound: bench/ times it, GroupListBenchmark); keyset pages
 * deep in the list are the right groups, and a subject search finds its one group.
 */
class GroupSearchScaleTest {

    static final int GROUPS = 100_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL", "MariaDB"})
    void pagesOf100000GroupsComeFromTheIndexes(String kind) throws Exception {
        try (TestDatabase testDatabase = open(kind); Database database = Database.open(new DatabaseSettings(testDatabase.url(),
                testDatabase.user(), null, 2, Duration.ofSeconds(5)))) {
            ManyGroups.store(testDatabase, GROUPS);
            analyze(testDatabase);
            GroupSearch search = new GroupSearch(database);

            assertThat(plan(testDatabase, new GroupSearch.Filter("FAILED", null), "FAILED")).contains("zapi_group_status_id");
            assertThat(plan(testDatabase, new GroupSearch.Filter(null, null), null)).containsAnyOf("zapi_group_pk", "primary");

            // every FAILED group, 100 a page, each page after the last
            List<String> failed = new ArrayList<>();
            String after = null;
            do {
                GroupSearch.GroupPage page = search.page(new GroupSearch.Filter("FAILED", null), after, 100);
                page.groups().forEach(g -> failed.add(g.groupId()));
                after = page.next();
            } while (after != null);
            assertThat(failed).hasSize(GROUPS / 100).isSorted().allMatch(id -> id.endsWith("00-group"));

            GroupSearch.GroupPage deep = search.page(new GroupSearch.Filter(null, null), ManyGroups.id(99_949), 25);
            assertThat(deep.groups()).extracting(GroupSearch.GroupSummary::groupId).containsExactly(
                    java.util.stream.IntStream.range(99_950, 99_975).mapToObj(ManyGroups::id).toArray(String[]::new));
            GroupSearch.GroupPage last = search.page(new GroupSearch.Filter(null, null), ManyGroups.id(99_989), 25);
            assertThat(last.groups()).hasSize(10);
            assertThat(last.next()).isNull();

            GroupSearch.GroupPage bySubject = search.page(new GroupSearch.Filter(null, "NUMBER 76543 of"), null, 25);
            assertThat(bySubject.groups()).extracting(GroupSearch.GroupSummary::groupId).containsExactly(ManyGroups.id(76_543));
            GroupSearch.GroupPage byId = search.page(new GroupSearch.Filter(null, "12036300000007654"), null, 25);
            assertThat(byId.groups()).hasSize(10);
        }
    }

    static TestDatabase open(String kind) throws Exception {
        return switch (kind) {
            case "H2" -> TestDatabase.h2(java.nio.file.Files.createTempDirectory("group-search"));
            case "PostgreSQL" -> TestDatabase.postgres();
            default -> TestDatabase.mariadb();
        };
    }

    /** Fresh statistics, as a database that has lived with its rows has. */
    static void analyze(TestDatabase database) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            switch (database.kind()) {
                case "PostgreSQL" -> s.execute("ANALYZE zapi_group");
                case "MariaDB" -> s.execute("ANALYZE TABLE zapi_group");
                default -> s.execute("ANALYZE");
            }
        }
    }

    /** The database's plan for a page's statement, lower case, with the filter's values inlined. */
    static String plan(TestDatabase database, GroupSearch.Filter filter, String status) throws Exception {
        String sql = GroupSearch.sql(filter).replaceFirst("\\?", "''");
        if (status != null) {
            sql = sql.replaceFirst("\\?", "'" + status + "'");
        }
        sql = sql.replaceFirst("\\?", "26");
        StringBuilder plan = new StringBuilder();
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    plan.append(rs.getString(i)).append(' ');
                }
                plan.append('\n');
            }
        }
        return plan.toString().toLowerCase(Locale.ROOT);
    }
}

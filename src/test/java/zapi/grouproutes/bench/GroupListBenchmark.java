package zapi.grouproutes.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.DatabaseSettings;
import zapi.grouproutes.database.GroupSearch;
import zapi.grouproutes.support.ManyGroups;
import zapi.grouproutes.support.TestDatabase;

/**
 * One page of the group list (GET /api/groups, the console's Groups view) over 100,000 stored groups, at the
 * server: the first page, a page deep in the list, a status filter, an ID prefix and a subject search, each
 * the median of 21 runs after 5 unmeasured, on H2 and, when they answer, PostgreSQL and MariaDB.
 * {@code BENCH=GroupListBenchmark bench/run [groups]}.
 */
public final class GroupListBenchmark {

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.printf("group list page (25 groups) over %,d stored groups, median of 21, milliseconds%n", groups);
        System.out.printf("%-11s %8s %8s %8s %8s %8s%n", "database", "first", "deep", "FAILED", "ID start", "subject");
        for (String kind : List.of("H2", "PostgreSQL", "MariaDB")) {
            TestDatabase testDatabase;
            try {
                testDatabase = switch (kind) {
                    case "H2" -> TestDatabase.h2(Files.createTempDirectory("group-list-bench"));
                    case "PostgreSQL" -> TestDatabase.postgres();
                    default -> TestDatabase.mariadb();
                };
            } catch (RuntimeException absent) {
                System.out.printf("%-11s not measured: %s%n", kind, absent.getMessage());
                continue;
            }
            try (testDatabase; Database database = Database.open(new DatabaseSettings(testDatabase.url(), testDatabase.user(), null, 2,
                    Duration.ofSeconds(5)))) {
                ManyGroups.store(testDatabase, groups);
                GroupSearch search = new GroupSearch(database);
                System.out.printf("%-11s %8.2f %8.2f %8.2f %8.2f %8.2f%n", kind,
                        median(() -> search.page(new GroupSearch.Filter(null, null), null, 25)),
                        median(() -> search.page(new GroupSearch.Filter(null, null), ManyGroups.id(groups - 100), 25)),
                        median(() -> search.page(new GroupSearch.Filter("FAILED", null), ManyGroups.id(groups / 2), 25)),
                        median(() -> search.page(new GroupSearch.Filter(null, ManyGroups.id(groups - 1).substring(0, 16)), null, 25)),
                        median(() -> search.page(new GroupSearch.Filter(null, "number " + (groups - 7) + " of"), null, 25)));
            }
        }
    }

    interface Page {
        GroupSearch.GroupPage read() throws Exception;
    }

    static double median(Page page) throws Exception {
        for (int i = 0; i < 5; i++) {
            page.read();
        }
        double[] millis = new double[21];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            GroupSearch.GroupPage read = page.read();
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (read.groups().isEmpty()) {
                throw new NotMeasured("a page came back empty: the seeded groups are not what the benchmark reads");
            }
        }
        Arrays.sort(millis);
        return millis[millis.length / 2];
    }
}

package zapi.grouproutes.zapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import zapi.grouproutes.database.Database;
import zapi.grouproutes.database.DatabaseSettings;
import zapi.grouproutes.database.RateBuckets;
import zapi.grouproutes.support.TcpProxy;
import zapi.grouproutes.support.TestDatabase;

/**
 * The shared request budget ({@code zapi.rate.scope=cluster}) on its own, on the real PostgreSQL and
 * MariaDB: several budgets on one database stand for several instances (each with a pool of its own, as
 * each instance has), and permits are timed where they are handed out. The whole application with three
 * instances against one Z-API stand-in is {@code app.ClusterRateTest}.
 */
class ClusterBudgetTest {

    /** How long permits wait for a database that does not answer, here. */
    static final Duration PATIENCE = Duration.ofSeconds(3);

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable resource : open) {
            resource.close();
        }
    }

    private Database database(String kind) {
        TestDatabase db = kind.equals("postgres") ? TestDatabase.postgres() : TestDatabase.mariadb();
        open.add(db);
        return database(db.url(), db.user());
    }

    private Database database(String url, String user) {
        Database database = Database.open(new DatabaseSettings(url, user, null, 2, Duration.ofSeconds(1)));
        open.add(database);
        return database;
    }

    /** One instance's share of the budget: a pool of its own on the database, as an instance has. */
    private ClusterBudget cluster(Database database) throws Exception {
        HikariDataSource pool = database.openPool("zapi-rate-test", 4);
        ClusterBudget cluster = new ClusterBudget("inst-shared", pool, RateBuckets.in(database, pool, Duration.ofSeconds(1)), PATIENCE);
        open.add(cluster);
        return cluster;
    }

    /** Three instances at a fixed 20/s, four workers each: the permits of all three together keep to 20 + burst per second. */
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void threeInstancesTogetherKeepToOneCap(String kind) throws Exception {
        Database database = database(kind);
        List<RequestBudget> instances = new ArrayList<>();
        List<ClusterBudget> clusters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clusters.add(cluster(database));
            instances.add(RequestBudget.shared(clusters.get(i), 20, null));
        }
        List<Long> granted = permits(instances, 4, Duration.ofSeconds(3));
        int busiest = busiestSecond(granted);
        System.out.printf(Locale.ROOT, "ClusterBudgetTest %s: %d permits in 3 s for 3 instances at 20/s, busiest 1-s window %d (cap %d)%n",
                kind, granted.size(), busiest, 20 + RequestBudget.burst(20));
        // timed when the worker wakes up, after its reserved slot: a wake-up that comes late (a busy machine) can
        // join the next second's permits, so one of tolerance, as RequestCapTest allows between permit and arrival
        assertThat(busiest).isLessThanOrEqualTo(20 + (int) RequestBudget.burst(20) + 1);
        // never more than the cap over the whole run (a slow machine only gives fewer)...
        assertThat(granted.size()).isLessThanOrEqualTo(3 * 20 + (int) RequestBudget.burst(20) + 1);
        // ...and one cap for the three, not a third of it each: one bucket, at 20/s, that every instance draws on
        for (ClusterBudget instance : clusters) {
            assertThat(RequestBudget.rateOf(instance.configuration().orElseThrow())).as("the shared bucket's rate").isEqualTo(20.0);
        }
        assertThat(clusters.stream().map(ClusterBudget::key).distinct()).hasSize(1);
    }

    /**
     * One permit is one short transaction on the bucket's row. Measured here: the time of a permit that does
     * not wait, and how many permits per second one instance's workers get from a bucket that never holds them
     * back (printed; the throughput itself is bench/'s). Checked: sixteen workers on four connections get permits and none fails or hangs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void aBucketThatNeverHoldsBackServesSixteenWorkersThroughAPoolOfFour(String kind) throws Exception {
        Database database = database(kind);
        RequestBudget budget = RequestBudget.shared(cluster(database), 1_000_000, null);
        for (int i = 0; i < 50; i++) {
            budget.take();
        }
        int count = 300;
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            budget.take();
        }
        double perPermitMillis = (System.nanoTime() - started) / 1e6 / count;
        int[] perWorker = permitsPerWorker(budget, 16, Duration.ofSeconds(2));
        double perSecond = java.util.Arrays.stream(perWorker).sum() / 2.0;
        // a figure, not a check: how fast the machine is is no test's business (bench/ measures it)
        System.out.printf(Locale.ROOT, "ClusterBudgetTest %s: %.2f ms per permit (one worker), %.0f permits/s (16 workers, 4 connections)%n",
                kind, perPermitMillis, perSecond);
        // sixteen workers on a pool of four: none failed or hung (permitsPerWorker waits for them all), and permits
        // came; how they share them out is the machine's scheduling (a busy one left some workers without any)
        assertThat(java.util.Arrays.stream(perWorker).sum()).as("permits to 16 workers").isPositive();
    }

    @Test
    void aPauseOneInstanceGetsHoldsTheOthers() throws Exception {
        Database database = database("postgres");
        RequestBudget first = RequestBudget.shared(cluster(database), 100, null);
        RequestBudget second = RequestBudget.shared(cluster(database), 100, null);
        first.take();
        second.take();
        TimeUnit.MILLISECONDS.sleep(ClusterBudget.POLL_MILLIS + 50);
        long pausedAt = System.nanoTime();
        first.pauseFor(Duration.ofMillis(800));
        second.take();
        assertThat(Duration.ofNanos(System.nanoTime() - pausedAt)).isGreaterThan(Duration.ofMillis(700));
    }

    /** The instance that got the 429 cuts and tells; the other cuts too, once; neither cuts again for hearing it back. */
    @Test
    void a429OneInstanceCutsForCutsTheOthersOnce() throws Exception {
        Database database = database("postgres");
        RequestBudget first = RequestBudget.shared(cluster(database), 20, new AdaptiveRate(20, 250, System.nanoTime()));
        first.take();
        // an instance that starts later starts where the bucket is, not at its own initial rate
        RequestBudget second = RequestBudget.shared(cluster(database), 5, new AdaptiveRate(5, 250, System.nanoTime()));
        assertThat(second.rate().perSecond()).as("the bucket held 20 already: adopted").isEqualTo(20);
        long sent = System.nanoTime();
        second.take();
        TimeUnit.MILLISECONDS.sleep(20);
        first.answered(429, sent);
        double cut = first.rate().perSecond();
        assertThat(cut).isLessThan(20);
        TimeUnit.MILLISECONDS.sleep(ClusterBudget.POLL_MILLIS + 50);
        second.take();
        first.take();
        assertThat(second.rate().perSecond()).isLessThan(20);
        assertThat(first.rate().perSecond()).as("its own 429, heard back, is not a second cut").isEqualTo(cut);
        TimeUnit.MILLISECONDS.sleep(ClusterBudget.POLL_MILLIS + 50);
        double once = second.rate().perSecond();
        second.take();
        assertThat(second.rate().perSecond()).isEqualTo(once);
    }

    /**
     * The database goes away: no permit while it is away; a short outage only holds the permit, a long one fails it as
     * transient after the patience, and from then on at once until the database answers again. Never forever, never unlimited.
     */
    @Test
    void withoutTheDatabaseAPermitWaitsThenFailsAsTransientAndComesBackWithIt() throws Exception {
        TestDatabase db = TestDatabase.postgres();
        open.add(db);
        TcpProxy relay = new TcpProxy("127.0.0.1", 5432);
        open.add(relay);
        Database database = database(db.url().replace("127.0.0.1:5432", "127.0.0.1:" + relay.port()), db.user());
        RequestBudget budget = RequestBudget.shared(cluster(database), 1000, null);
        budget.take();

        // a short outage: the permit waits it out
        relay.cut();
        long cutAt = System.nanoTime();
        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                budget.take();
                return System.nanoTime();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        TimeUnit.MILLISECONDS.sleep(1000);
        assertThat(waiting).as("no permit while the database is away").isNotDone();
        relay.restore();
        long granted = waiting.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(granted - cutAt)).isGreaterThan(Duration.ofMillis(1000)).isLessThan(PATIENCE);

        // a long one: transient after the patience, then at once
        relay.cut();
        long started = System.nanoTime();
        assertTimeoutPreemptively(PATIENCE.plusSeconds(10), () -> {
            assertThatThrownBy(budget::take).isInstanceOf(ZapiTransientException.class)
                    .hasMessageContaining("shared request budget (zapi.rate.scope=cluster) is unreachable")
                    .satisfies(e -> assertThat(((ZapiTransientException) e).operation()).isEqualTo(RequestBudget.OPERATION));
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(PATIENCE);
        long again = System.nanoTime();
        assertThatThrownBy(budget::take).isInstanceOf(ZapiTransientException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - again)).as("no second wait for a database known to be away").isLessThan(Duration.ofMillis(1500));

        relay.restore();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            // the pool replaces the dropped connections; the first tries may still meet one
            while (true) {
                try {
                    budget.take();
                    return;
                } catch (ZapiTransientException stillBroken) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
        });
    }

    @Test
    void theLinkMethodOneInstanceLearnedIsWhereAnotherStarts() throws Exception {
        Database database = database("postgres");
        ClusterBudget cluster = cluster(database);
        LinkMethod first = LinkMethod.shared("POST", cluster.pool(), cluster.key());
        assertThat(first.current()).isEqualTo("POST");
        assertThat(first.learned("POST", "GET")).isTrue();
        assertThat(first.learned("POST", "GET")).as("another worker's fallback: already switched").isFalse();
        LinkMethod later = LinkMethod.shared("POST", cluster.pool(), cluster.key());
        assertThat(later.current()).isEqualTo("GET");
        LinkMethod otherZapiInstance = LinkMethod.shared("POST", cluster.pool(), "another-instance");
        assertThat(otherZapiInstance.current()).isEqualTo("POST");
    }

    /** Workers taking permits from their instance's budget until {@code time} has passed; the nanoTime of each permit. */
    private static List<Long> permits(List<RequestBudget> instances, int workersEach, Duration time) throws Exception {
        List<Long> granted = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(instances.size() * workersEach);
        long until = System.nanoTime() + time.toNanos();
        for (RequestBudget budget : instances) {
            for (int i = 0; i < workersEach; i++) {
                workers.submit(() -> {
                    while (System.nanoTime() < until) {
                        budget.take();
                        long now = System.nanoTime();
                        if (now < until) {
                            granted.add(now);
                        }
                    }
                    return null;
                });
            }
        }
        workers.shutdown();
        assertThat(workers.awaitTermination(time.toSeconds() + 20, TimeUnit.SECONDS)).isTrue();
        return granted.stream().sorted().toList();
    }

    /** {@code workers} workers taking permits from one budget until {@code time} has passed; how many each got. */
    private static int[] permitsPerWorker(RequestBudget budget, int workers, Duration time) throws Exception {
        int[] counts = new int[workers];
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long until = System.nanoTime() + time.toNanos();
        for (int i = 0; i < workers; i++) {
            int worker = i;
            pool.submit(() -> {
                while (System.nanoTime() < until) {
                    budget.take();
                    counts[worker]++;
                }
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(time.toSeconds() + 20, TimeUnit.SECONDS)).isTrue();
        return counts;
    }

    /** The most permits within any second. */
    private static int busiestSecond(List<Long> sortedNanos) {
        int busiest = 0;
        int first = 0;
        for (int last = 0; last < sortedNanos.size(); last++) {
            while (sortedNanos.get(last) - sortedNanos.get(first) >= TimeUnit.SECONDS.toNanos(1)) {
                first++;
            }
            busiest = Math.max(busiest, last - first + 1);
        }
        return busiest;
    }
}

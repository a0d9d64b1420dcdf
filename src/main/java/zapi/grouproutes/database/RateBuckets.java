package zapi.grouproutes.database;

import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

/**
 * The Bucket4j buckets of {@code zapi_rate_bucket} (Flyway V4), for the database's kind: PostgreSQL through
 * Bucket4j's own select-for-update proxy manager, MariaDB through {@link MariaDbRateBuckets}. Each command
 * (a permit, a new rate) is one transaction that locks the bucket's row, so instances on the database take
 * their permits from one bucket, one after another.
 * <ul>
 * <li><b>Clock.</b> The bucket's state is written by every instance, so its refill is timed by the wall
 * clock (to the microsecond, as {@link Instant#now()} reads it), not by a JVM's own {@code nanoTime}:
 * instances on several machines need their clocks in step (NTP), as the Quartz cluster does.</li>
 * <li><b>Timeout.</b> A statement that the database does not answer within {@code timeout} fails, so a
 * permit never waits forever for a database that hangs.</li>
 * </ul>
 * H2 has no such proxy manager: its embedded file belongs to one process, and cluster scope refuses it.
 */
public final class RateBuckets {

    /** Wall-clock time in nanoseconds since the epoch, as precise as the system clock gives it (microseconds on Linux). */
    static final TimeMeter WALL_CLOCK = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    };

    private RateBuckets() {
    }

    /** The proxy manager for the buckets in {@code database}'s table, on {@code pool} (a pool of their own). */
    public static ProxyManager<String> in(Database database, DataSource pool, Duration timeout) {
        String url = database.settings().url();
        if (url.startsWith("jdbc:postgresql:")) {
            return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(pool).primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table("zapi_rate_bucket").idColumn("id").stateColumn("state")
                    .clientClock(WALL_CLOCK).requestTimeout(timeout).build();
        }
        if (Database.isMariaDb(url)) {
            return new MariaDbRateBuckets(pool, ClientSideConfig.getDefault().withClientClock(WALL_CLOCK).withRequestTimeout(timeout));
        }
        throw new IllegalArgumentException("a request budget shared by instances needs PostgreSQL or MariaDB, not " + database.settings().safeUrl());
    }
}

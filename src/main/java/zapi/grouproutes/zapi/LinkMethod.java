package zapi.grouproutes.zapi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import zapi.grouproutes.database.DatabaseUnavailableException;

/**
 * The method the invitation-link call uses (POST or GET): {@code zapi.invitation-link-method} at first, then
 * whichever a 405 fallback found to work, for the rest of the run. With {@code zapi.rate.scope=cluster} the
 * learned method is also kept in {@code zapi_link_method} per Z-API instance, and read from there at most
 * every {@value #READ_SECONDS} s, so an instance started after another learned it (or running beside it)
 * does not pay for a fallback of its own. The table only ever informs: when the database does not answer,
 * the method in memory goes on, and a 405 still finds the other method.
 */
public final class LinkMethod {

    private static final Logger LOG = LoggerFactory.getLogger(LinkMethod.class);
    static final long READ_SECONDS = 5;

    private final AtomicReference<String> method;
    private final DataSource pool;
    private final String key;
    private volatile long nextReadNanos;

    /** This process's choice alone. */
    public LinkMethod(String initial) {
        this(initial, null, null);
    }

    private LinkMethod(String initial, DataSource pool, String key) {
        this.method = new AtomicReference<>(initial);
        this.pool = pool;
        this.key = key;
        this.nextReadNanos = System.nanoTime();
    }

    /** The choice shared with the other instances of the Z-API instance {@code key} on the database of {@code pool}. */
    public static LinkMethod shared(String initial, DataSource pool, String key) {
        LinkMethod shared = new LinkMethod(initial, pool, key);
        shared.current();
        return shared;
    }

    /** The method to try first now. */
    public String current() {
        if (pool != null && System.nanoTime() - nextReadNanos >= 0) {
            nextReadNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(READ_SECONDS);
            String stored = read();
            if (stored != null) {
                method.set(stored);
            }
        }
        return method.get();
    }

    /**
     * A request with {@code refused} got 405 and the same with {@code accepted} worked. Returns true when this
     * changed the method (the caller logs it once), false when another worker had switched it already.
     */
    public boolean learned(String refused, String accepted) {
        if (!method.compareAndSet(refused, accepted)) {
            return false;
        }
        if (pool != null) {
            write(accepted);
        }
        return true;
    }

    private String read() {
        try (Connection connection = pool.getConnection();
                PreparedStatement read = connection.prepareStatement("SELECT method FROM zapi_link_method WHERE zapi_instance = ?")) {
            read.setString(1, key);
            try (ResultSet row = read.executeQuery()) {
                String stored = row.next() ? row.getString(1) : null;
                connection.commit();
                return "POST".equals(stored) || "GET".equals(stored) ? stored : null;
            }
        } catch (SQLException e) {
            LOG.debug("The shared invitation-link method could not be read ({}); keeping {}", DatabaseUnavailableException.describe(e), method.get());
            return null;
        }
    }

    private void write(String accepted) {
        long now = System.currentTimeMillis();
        try (Connection connection = pool.getConnection()) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE zapi_link_method SET method = ?, learned_at_ms = ? WHERE zapi_instance = ?")) {
                update.setString(1, accepted);
                update.setLong(2, now);
                update.setString(3, key);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO zapi_link_method (zapi_instance, method, learned_at_ms) VALUES (?, ?, ?)")) {
                        insert.setString(1, key);
                        insert.setString(2, accepted);
                        insert.setLong(3, now);
                        insert.executeUpdate();
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                // two instances learning at once: the other's insert won, and it stored the same finding
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.warn("The invitation-link method {} could not be stored for the other instances ({}); this instance uses it anyway",
                    accepted, DatabaseUnavailableException.describe(e));
        }
    }
}

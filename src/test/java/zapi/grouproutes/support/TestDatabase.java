package zapi.grouproutes.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A database for one test class: an H2 file in a temporary folder, a fresh schema in the PostgreSQL on
 * 127.0.0.1:5432 (database {@code test}, trust auth), or a fresh database in the MariaDB on
 * 127.0.0.1:3306 (root, no password). Without that server the tests that need it are skipped with the
 * reason printed, except in CI ({@code CI} set to true, 1, yes or on, in any case), where they fail.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String POSTGRES_SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String POSTGRES_USER = "postgres";
    public static final String MARIADB_SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    public static final String MARIADB_USER = "root";

    private final String kind;
    private final String url;
    private final String user;
    private final String schema;

    private TestDatabase(String kind, String url, String user, String schema) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.schema = schema;
    }

    public static TestDatabase h2(Path dir) {
        return new TestDatabase("H2", "jdbc:h2:file:" + dir.resolve("zapi-groups").toAbsolutePath(), null, null);
    }

    /** A new, empty schema; dropped again by {@link #close()}. */
    public static TestDatabase postgres() {
        requirePostgres();
        // a schema of its own in the shared database
        String schema = freshName();
        executeOn(POSTGRES_SERVER, POSTGRES_USER, "CREATE SCHEMA " + schema);
        return new TestDatabase("PostgreSQL", POSTGRES_SERVER + "?currentSchema=" + schema, POSTGRES_USER, schema);
    }

    /** A new, empty database on the MariaDB at 127.0.0.1:3306; dropped again by {@link #close()}. */
    public static TestDatabase mariadb() {
        require("MariaDB", MARIADB_SERVER, MARIADB_USER, "user root, no password");
        String name = freshName();
        executeOn(MARIADB_SERVER, MARIADB_USER, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        return new TestDatabase("MariaDB", MARIADB_SERVER + name, MARIADB_USER, name);
    }

    private static String freshName() {
        return "zapi_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** One statement on the server itself, outside any test schema: creating and dropping them. */
    private static void executeOn(String server, String user, String sql) {
        try (Connection c = DriverManager.getConnection(server, user, null); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run on " + server + ": " + sql, e);
        }
    }

    /** Skips (or, in CI, fails) the calling test when PostgreSQL is not there. */
    public static void requirePostgres() {
        require("PostgreSQL", POSTGRES_SERVER, POSTGRES_USER, "trust auth");
    }

    private static void require(String kind, String url, String user, String how) {
        String reason = missing(url, user);
        if (reason == null) {
            return;
        }
        String message = kind + " tests need " + url + " (user " + user + ", " + how + "): " + reason;
        if (isCi(System.getenv("CI"))) {
            fail(message + " -- CI=" + System.getenv("CI") + ", so this is a failure, not a skip");
        }
        System.out.println("SKIPPED: " + message);
        Assumptions.abort(message);
    }

    /** Whether a value of the CI variable means "in CI": the usual truthy spellings, as CI services set it (true, 1, yes, on). */
    static boolean isCi(String value) {
        return value != null && java.util.Set.of("true", "1", "yes", "on").contains(value.strip().toLowerCase(java.util.Locale.ROOT));
    }

    private static String missing(String url, String user) {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(url, user, null)) {
            return c.isValid(3) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    public String kind() {
        return kind;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    /** The settings that point the application's database sink here. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("zapi.sinks", "csv,jdbc");
        settings.put("zapi.db.url", url);
        if (user != null) {
            settings.put("zapi.db.user", user);
        }
        return settings;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, null);
    }

    /** Rows as column (lower case) to value; times as {@link OffsetDateTime}, text as String. */
    public List<Map<String, Object>> rows(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String type = meta.getColumnTypeName(i).toLowerCase(Locale.ROOT);
                        Object value = type.contains("timestamp") || type.contains("datetime") ? rs.getObject(i, OffsetDateTime.class)
                                : type.contains("char") || type.contains("text") || type.contains("clob") ? rs.getString(i)
                                : rs.getObject(i);
                        row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), value);
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    public Map<String, Object> row(String sql, Object... args) throws SQLException {
        List<Map<String, Object>> rows = rows(sql, args);
        if (rows.size() != 1) {
            fail("expected one row from " + sql + ", got " + rows.size());
        }
        return rows.get(0);
    }

    public long count(String sql, Object... args) throws SQLException {
        return ((Number) row(sql, args).values().iterator().next()).longValue();
    }

    @Override
    public void close() {
        if (schema == null) {
            return;
        }
        if (kind.equals("MariaDB")) {
            executeOn(MARIADB_SERVER, user, "DROP DATABASE IF EXISTS " + schema);
        } else {
            executeOn(POSTGRES_SERVER, user, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    public String toString() {
        return kind;
    }
}

package org.cbhealth.bench.referral;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server the benchmark creates a fresh database on for each run (over JDBC on the {@code postgres}
 * database, as {@code createdb} would) and drops afterwards. Connection settings come from
 * {@code CBHEALTH_BENCH_PG_HOST} (127.0.0.1), {@code CBHEALTH_BENCH_PG_PORT} (5432), {@code CBHEALTH_BENCH_PG_USER}
 * (postgres) and {@code CBHEALTH_BENCH_PG_PASSWORD} (empty).
 */
public record PostgresServer(String host, int port, String user, String password) {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public static PostgresServer fromEnvironment() {
        return new PostgresServer(
                env("CBHEALTH_BENCH_PG_HOST", "127.0.0.1"),
                Integer.parseInt(env("CBHEALTH_BENCH_PG_PORT", "5432")),
                env("CBHEALTH_BENCH_PG_USER", "postgres"),
                env("CBHEALTH_BENCH_PG_PASSWORD", ""));
    }

    /** Whether something accepts TCP connections on the server's address. */
    public boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Drops the database if it exists and creates it empty; returns the server's version. */
    public String createFresh(String database) throws SQLException {
        requireName(database);
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + database);
            try (ResultSet version = sql.executeQuery("SHOW server_version")) {
                version.next();
                return version.getString(1);
            }
        }
    }

    /**
     * {@link #createFresh}, for a benchmark that may also run on H2: a failure says which server and user were tried
     * and how to choose others.
     */
    public String createFreshOrExplain(String database) {
        try {
            return createFresh(database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + database + " on PostgreSQL at " + host
                    + ":" + port + " as " + user + ": " + e.getMessage()
                    + " (set CBHEALTH_BENCH_PG_USER / CBHEALTH_BENCH_PG_PASSWORD, or run with --h2)");
        }
    }

    /** The hub's environment variables that point its {@code postgres} profile at the database. */
    public java.util.Map<String, String> hubDatabaseEnvironment(String database) {
        return java.util.Map.of(
                "CBHEALTH_DB_URL", jdbcUrl(database), "CBHEALTH_DB_USER", user, "CBHEALTH_DB_PASSWORD", password);
    }

    public void drop(String database) throws SQLException {
        requireName(database);
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void requireName(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

package dev.hackablemail.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where {@link PostgresStore} gets its connections: a small HikariCP pool for a
 * long-running process (push service, daemon), or one connection opened on first use for
 * a one-message filter process (a pool's threads and warm-up would only cost it time).
 */
abstract class Connections implements AutoCloseable {

    /** A piece of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException, java.io.IOException;
    }

    abstract <T> T with(Work<T> work) throws SQLException, java.io.IOException;

    @Override
    public abstract void close();

    static Connections pooled(String jdbcUrl, Properties properties, int maxSize, long waitMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setDataSourceProperties(properties);
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(0);
        config.setPoolName("hackable-store");
        config.setConnectionTimeout(Math.max(250, waitMillis)); // Hikari's floor
        // Start even when the database is down: each call then fails (and the mail is retried).
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        return new Connections() {
            @Override
            <T> T with(Work<T> work) throws SQLException, java.io.IOException {
                try (Connection c = pool.getConnection()) {
                    return work.run(c);
                }
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    static Connections single(String jdbcUrl, Properties properties) {
        return new Connections() {
            private Connection connection;

            @Override
            synchronized <T> T with(Work<T> work) throws SQLException, java.io.IOException {
                if (connection == null || connection.isClosed()) {
                    connection = new org.postgresql.Driver().connect(jdbcUrl, properties);
                    if (connection == null) {
                        throw new SQLException("not a PostgreSQL URL: " + jdbcUrl);
                    }
                }
                return work.run(connection);
            }

            @Override
            public synchronized void close() {
                if (connection != null) {
                    try {
                        connection.close();
                    } catch (SQLException ignored) {
                        // closing: nothing to do about it
                    }
                }
            }
        };
    }
}

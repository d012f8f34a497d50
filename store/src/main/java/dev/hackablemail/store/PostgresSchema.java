package dev.hackablemail.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and migrates the store's tables: plain versioned SQL scripts
 * ({@code sql/V<n>__<what>.sql} beside this class), applied in order, each in its own
 * transaction with its number recorded in {@code hackable_schema}. Every process that opens
 * the store checks the number first (one SELECT) and migrates only when it is behind,
 * under a transaction-scoped advisory lock, so that servers starting together apply each
 * script once.
 *
 * <p>Why not Flyway: the filter is a JVM per message, and Flyway's classpath scanning and
 * its few MB of classes would be paid by every mail; the store has a handful of tables,
 * and a script list is all the machinery it needs.
 */
final class PostgresSchema {

    /** The scripts, in order; the n-th is version n. Append, never edit one that shipped. */
    static final List<String> SCRIPTS = List.of("V1__guest_store.sql", "V2__attachments.sql", "V3__console.sql");
    private static final long LOCK_ID = 0x6861636b61626c65L; // "hackable"
    private static final String UNDEFINED_TABLE = "42P01";

    private PostgresSchema() {}

    static int latest() {
        return SCRIPTS.size();
    }

    /** Brings the schema to the latest version; returns the version it was at. */
    static int migrate(Connection c) throws SQLException, IOException {
        int current = version(c);
        if (current >= latest()) {
            return current;
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")");
            s.execute("CREATE TABLE IF NOT EXISTS hackable_schema (version integer PRIMARY KEY, "
                    + "applied timestamptz NOT NULL DEFAULT now())");
            int at = version(c);
            for (int v = at + 1; v <= latest(); v++) {
                s.execute(script(SCRIPTS.get(v - 1)));
                s.execute("INSERT INTO hackable_schema (version) VALUES (" + v + ")");
            }
            c.commit();
            return at;
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The applied version; 0 for an empty database. */
    static int version(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        // In a transaction, a failed statement would abort it: ask under a savepoint then.
        java.sql.Savepoint savepoint = autoCommit ? null : c.setSavepoint();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM hackable_schema")) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                if (savepoint != null) {
                    c.rollback(savepoint);
                }
                return 0;
            }
            throw e;
        }
    }

    private static String script(String name) throws IOException {
        try (InputStream in = PostgresSchema.class.getResourceAsStream("sql/" + name)) {
            if (in == null) {
                throw new IOException("the schema script sql/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package dev.hackablemail.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for tests: made with {@code initdb -A trust} in a temporary
 * folder, listening on 127.0.0.1 at a free port (its socket in the folder too), stopped
 * and deleted at the end. As root, it runs as the {@code postgres} user (PostgreSQL refuses
 * root). Without Debian's PostgreSQL binaries the tests that need it are skipped
 * ({@link #shared()} makes a JUnit assumption); {@code .ci/install-postgresql.sh} installs them.
 *
 * <p>Shared through the store module's test jar by the filter's and the service's tests.
 */
public final class PostgresCluster implements AutoCloseable {

    /** Where Debian puts the binaries; PG_BIN overrides. */
    static final Path BIN = Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));
    private static PostgresCluster shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final int port;
    private boolean running;

    private PostgresCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Whether the binaries are here (tests skip without them). */
    public static boolean available() {
        return Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl"));
    }

    /** One cluster for the whole test JVM, started on first use and stopped at exit; skips without PostgreSQL. */
    public static synchronized PostgresCluster shared() throws IOException, InterruptedException {
        assumeTrue(available(), "PostgreSQL is not installed at " + BIN + " (.ci/install-postgresql.sh)");
        if (shared == null) {
            PostgresCluster cluster = start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
            shared = cluster;
        }
        return shared;
    }

    /** A cluster of its own (for a test that stops it); close it after. Skips without PostgreSQL. */
    public static PostgresCluster start() throws IOException, InterruptedException {
        assumeTrue(available(), "PostgreSQL is not installed at " + BIN + " (.ci/install-postgresql.sh)");
        Path dir = Files.createTempDirectory("hackable-pg-");
        if (root()) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        PostgresCluster cluster = new PostgresCluster(dir, freePort());
        cluster.run(BIN.resolve("initdb") + " -D " + dir.resolve("data") + " -A trust -U postgres -E UTF8"
                + " --no-sync");
        cluster.startServer();
        return cluster;
    }

    /** Starts the server (again, after {@link #stopServer()}). */
    public void startServer() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -l " + dir.resolve("server.log")
                + " -o '-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off' -w start");
        running = true;
    }

    /** Stops the server, fast (the data stays). */
    public void stopServer() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m fast -w stop");
        running = false;
    }

    public int port() {
        return port;
    }

    /** A new, empty database, as the {@code store:} setting names it. */
    public String newDatabase() throws SQLException {
        String name = "store" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "postgresql://postgres@127.0.0.1:" + port + "/" + name;
    }

    /** A store setting for a new database, with its own cache folder. */
    public StoreSetting newStore(Path cache) throws SQLException {
        return StoreSetting.read(Map.of("store", newDatabase(), "cache", cache.toString()));
    }

    /** A JDBC connection to a database made by {@link #newDatabase()} (for looking into it). */
    public Connection connect(String storeUrl) throws SQLException {
        String database = storeUrl.substring(storeUrl.lastIndexOf('/') + 1);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
    }

    @Override
    public synchronized void close() {
        try {
            if (running) {
                stopServer();
            }
        } catch (IOException | InterruptedException e) {
            // the folder goes anyway
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder: left for the system to clean
        }
    }

    private void run(String command) throws IOException, InterruptedException {
        run(root() ? List.of("su", "postgres", "-s", "/bin/sh", "-c", command) : List.of("/bin/sh", "-c", command));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("hackable-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Helpful in a failing test's message. */
    public String serverLog() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

}

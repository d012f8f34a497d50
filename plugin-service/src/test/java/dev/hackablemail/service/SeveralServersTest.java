package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.store.Digests;
import dev.hackablemail.store.GuestStore;
import dev.hackablemail.store.PostgresCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several mail servers on one PostgreSQL store, each filter a process of its own (a JVM, as
 * Postfix runs it) with its own local cache folder; the push service in this JVM.
 */
class SeveralServersTest {

    static final String GUEST = "alice@example.com";

    @TempDir
    Path dir;

    /** One mail server: its configuration (same database, its own cache and log) and a sendmail that records. */
    final class Server {
        final Path config;
        final Path log;
        final Path sent;

        Server(String name, String storeUrl) throws IOException {
            Path home = Files.createDirectories(dir.resolve(name));
            this.log = home.resolve("filter.log");
            this.sent = home.resolve("sendmail.calls");
            Path sendmail = home.resolve("sendmail");
            Files.writeString(sendmail, "#!/bin/sh\necho \"$*\" >> '" + sent + "'\ncat > /dev/null\n");
            Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwxr-xr-x"));
            this.config = home.resolve("filter.yaml");
            Files.writeString(config, "store: " + storeUrl + "\ncache: " + home.resolve("cache") + "\nsendmail: "
                    + sendmail + "\nlog: " + log + "\nreply_period: 7d\n");
        }

        Process start(String sender, String subject) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "dev.hackablemail.filter.cli.Main", "filter", "--config", config.toString(), "-f", sender, "--",
                    GUEST).redirectErrorStream(true).start();
            p.getOutputStream().write(("From: " + sender + "\nTo: " + GUEST + "\nSubject: " + subject
                    + "\nMessage-ID: <" + System.nanoTime() + "@example.org>\n\nhello\n").getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            return p;
        }

        int deliver(String sender, String subject) throws Exception {
            return exit(start(sender, subject));
        }

        dev.hackablemail.store.StoreSetting storeSetting() {
            return dev.hackablemail.filter.FilterConfig.load(config).store();
        }

        List<String> calls() throws IOException {
            return Files.exists(sent) ? Files.readAllLines(sent) : List.of();
        }

        String lastLogLine() throws IOException {
            List<String> lines = Files.readAllLines(log);
            return lines.get(lines.size() - 1);
        }
    }

    static int exit(Process p) throws Exception {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    static String shortSha(byte[] wasm) {
        return Digests.sha256Hex(wasm).substring(0, 12);
    }

    @Test
    void aPushThroughOneServerIsUsedByTheOtherOnItsNextMessage() throws Exception {
        String url = PostgresCluster.shared().newDatabase();
        try (Fixture a = new Fixture(dir.resolve("a"), url, "", "", null)) {
            Server b = new Server("b", url);
            String token = a.signUp(GUEST);
            byte[] one = TestModules.example();
            byte[] two = TestModules.variant(one, 1);

            assertThat(b.deliver("bob@example.org", "hi")).isZero();
            assertThat(b.lastLogLine()).contains("plugin=none");

            assertThat(a.push(token, one).status()).isEqualTo(201);
            assertThat(b.deliver("bob@example.org", "hi")).isZero();
            assertThat(b.lastLogLine()).contains("plugin=" + shortSha(one));

            assertThat(a.push(token, two).status()).isEqualTo(201);
            assertThat(b.deliver("bob@example.org", "hi")).isZero();
            assertThat(b.lastLogLine()).contains("plugin=" + shortSha(two));
            assertThat(dir.resolve("b/cache/plugins/" + Digests.sha256Hex(two) + ".wasm")).exists();

            assertThat(a.rollback(token, 1).status()).isEqualTo(200);
            assertThat(b.deliver("bob@example.org", "hi")).isZero();
            assertThat(b.lastLogLine()).contains("plugin=" + shortSha(one));
        }
    }

    @Test
    void twoServersRacingOnTheSameSenderSendOneReply() throws Exception {
        String url = PostgresCluster.shared().newDatabase();
        Server b = new Server("b", url);
        Server c = new Server("c", url);
        try (GuestStore store = b.storeSetting().open(false)) {
            store.push(GUEST, TestModules.example(), java.time.Instant.now(), "admin", List.of(), 20);
        }
        for (int round = 0; round < 3; round++) {
            String sender = "sender" + round + "@example.org";
            Process first = b.start(sender, "Project XYZ status");
            Process second = c.start(sender, "Project XYZ status");
            assertThat(exit(first)).isZero();
            assertThat(exit(second)).isZero();
        }
        List<String> replies = new ArrayList<>();
        for (Server s : List.of(b, c)) {
            s.calls().stream().filter(call -> call.startsWith("-i -f  -- ")).forEach(replies::add);
        }
        assertThat(replies).as("one reply per sender, from either server").hasSize(3)
                .extracting(r -> r.substring("-i -f  -- ".length()))
                .containsExactlyInAnyOrder("sender0@example.org", "sender1@example.org", "sender2@example.org");
    }

    @Test
    void aPushKilledInItsTransactionLeavesThePreviousVersionActive() throws Exception {
        PostgresCluster cluster = PostgresCluster.shared();
        String url = cluster.newDatabase();
        Server b = new Server("b", url);
        byte[] one = TestModules.example();
        try (GuestStore store = b.storeSetting().open(false)) {
            store.push(GUEST, one, java.time.Instant.now(), "admin", List.of(), 20);
        }
        Path two = dir.resolve("two.wasm");
        Files.write(two, TestModules.variant(one, 2));
        Process push;
        try (Connection blocker = cluster.connect(url); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // Inserting a version waits for this lock: the push stops inside its transaction.
            s.execute("LOCK TABLE hackable_versions IN SHARE MODE");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            push = new ProcessBuilder(java, "-Dhackable.home=" + TestModules.HOME, "-cp",
                    System.getProperty("java.class.path"), "dev.hackablemail.service.ServiceMain", "plugin", "push",
                    "--config", b.config.toString(), "--guest", GUEST, two.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("push.out").toFile()).start();
            waitForALockWait(cluster, url);
            push.destroyForcibly();
            assertThat(push.waitFor(30, TimeUnit.SECONDS)).isTrue();
            blocker.rollback();
        }
        try (GuestStore store = b.storeSetting().open(false)) {
            assertThat(store.active(GUEST).version()).isEqualTo(1);
            assertThat(store.versions(GUEST)).hasSize(1);
        }
        assertThat(b.deliver("bob@example.org", "hi")).isZero();
        assertThat(b.lastLogLine()).contains("plugin=" + shortSha(one));
    }

    /** Until the push's connection waits for a lock (it passed the gate and is in its transaction). */
    private static void waitForALockWait(PostgresCluster cluster, String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection c = cluster.connect(url); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE "
                        + "application_name = 'hackable-email' AND wait_event_type = 'Lock'")) {
                    r.next();
                    if (r.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the push never reached its transaction");
    }

    @Test
    void withTheDatabaseStoppedTheFilterDefersAndLosesNothing() throws Exception {
        try (PostgresCluster own = PostgresCluster.start()) {
            String url = own.newDatabase();
            Server b = new Server("b", url);
            try (GuestStore store = b.storeSetting().open(false)) {
                store.push(GUEST, TestModules.example(), java.time.Instant.now(), "admin", List.of(), 20);
            }
            own.stopServer();
            assertThat(b.deliver("bob@example.org", "hi")).isEqualTo(75);
            assertThat(b.calls()).as("nothing delivered: Postfix keeps the mail and retries").isEmpty();
            assertThat(b.lastLogLine()).contains("exit=75", "the plugin store is not readable");

            own.startServer();
            assertThat(b.deliver("bob@example.org", "hi")).isZero();
            assertThat(b.calls()).hasSize(1);
        }
    }
}

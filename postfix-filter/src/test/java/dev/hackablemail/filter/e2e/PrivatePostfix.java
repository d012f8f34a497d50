package dev.hackablemail.filter.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A private Postfix instance for the end-to-end tests, the one owner of its folder layout:
 * {@code BASE/etc} (main.cf, master.cf), {@code queue}, {@code data}, {@code log/maillog},
 * {@code mail/USER/new} (virtual maildirs owned by nobody) and {@code store} (the plugin store).
 * Each test brings its own services (master.cf) and filter config; this class creates the
 * folders, starts and stops Postfix, and reads what arrived.
 *
 * <p>A file lock next to the folder ({@code BASE.lock}), held from {@link #prepare()} to
 * {@link #close()}, makes concurrent builds on one machine take turns on one folder.
 */
final class PrivatePostfix implements AutoCloseable {

    static final String POSTFIX = "/usr/sbin/postfix";

    final Path base;
    final Path etc;
    final Path mail;
    final Path store;
    final Path maillog;
    private final Duration wait;
    /** Extra files shown when a wait times out (e.g. a daemon's output). */
    private final List<Path> shownOnTimeout = new ArrayList<>();
    private FileChannel lock;
    private boolean started;

    PrivatePostfix(String base, Duration wait) {
        this.base = Path.of(base);
        this.etc = this.base.resolve("etc");
        this.mail = this.base.resolve("mail");
        this.store = this.base.resolve("store");
        this.maillog = this.base.resolve("log/maillog");
        this.wait = wait;
    }

    /** Skips the calling test (JUnit assumption) without Postfix or without root. */
    static void assumeUsable() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(POSTFIX)), "Postfix is not installed (.ci/install-postfix.sh)");
        assumeTrue(run("id", "-u").trim().equals("0"), "the Postfix end-to-end test needs root");
    }

    /** The shaded jar the build packaged; skips the calling test (JUnit assumption) without it. */
    static Path shadedJar() {
        Path jar = Path.of(System.getProperty("hackable.jar", "target/hackable-email.jar")).toAbsolutePath();
        assumeTrue(Files.isRegularFile(jar), "the shaded jar is missing: run mvn package first");
        return jar;
    }

    /** Takes the lock, stops a leftover instance and recreates the folders, empty. */
    PrivatePostfix prepare() throws Exception {
        lock = FileChannel.open(Path.of(base + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock.lock(); // waits while another build's run of the test has the instance
        if (Files.exists(etc.resolve("main.cf"))) {
            runQuietly(POSTFIX, "-c", etc.toString(), "stop");
        }
        deleteTree(base);
        for (Path dir : List.of(etc, mail, store, base.resolve("queue"), base.resolve("data"), base.resolve("log"))) {
            Files.createDirectories(dir);
        }
        run("chown", "postfix", base.resolve("data").toString());
        run("chown", "nobody:nogroup", mail.toString());
        return this;
    }

    /** Also shows {@code file} when a {@link #waitFor} times out. */
    PrivatePostfix showOnTimeout(Path file) {
        shownOnTimeout.add(file);
        return this;
    }

    /**
     * main.cf of a loopback-only instance delivering {@code users}@test.local to their
     * maildirs, followed by the test's own {@code settings}.
     */
    String mainCf(Collection<String> users, String... settings) {
        StringBuilder boxes = new StringBuilder();
        for (String user : users) {
            boxes.append(user).append("@test.local=").append(user).append("/, ");
        }
        List<String> lines = new ArrayList<>(List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + base.resolve("queue"),
                "data_directory = " + base.resolve("data"),
                "command_directory = /usr/sbin",
                "daemon_directory = /usr/lib/postfix/sbin",
                "meta_directory = /etc/postfix",
                "shlib_directory = /usr/lib/postfix",
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = mx.test.local",
                "mydomain = test.local",
                "myorigin = test.local",
                "mydestination =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "alias_maps =",
                "alias_database =",
                "virtual_mailbox_domains = test.local",
                "virtual_mailbox_base = " + mail,
                "virtual_mailbox_maps = inline:{ " + boxes + "}",
                "virtual_uid_maps = static:65534",
                "virtual_gid_maps = static:65534",
                "maillog_file = " + maillog,
                "maillog_file_prefixes = " + base,
                "delay_warning_time = 0",
                "biff = no"));
        lines.addAll(List.of(settings));
        return String.join("\n", lines) + "\n";
    }

    /**
     * The system's master.cf with its public smtpd replaced by one on 127.0.0.1:{@code port}
     * with {@code smtpdOptions} ("  -o name=value" lines), followed by the test's {@code services}.
     */
    static String masterCf(int port, String smtpdOptions, String services) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/etc/postfix/master.cf"))) {
            if (line.startsWith("smtp ") && line.contains(" inet ")) {
                out.append("127.0.0.1:").append(port).append(" inet n - n - - smtpd\n").append(smtpdOptions);
            } else {
                out.append(line).append('\n');
            }
        }
        return out.append(services).toString();
    }

    /** Writes the configuration, starts Postfix and waits for its smtpd on {@code port}. */
    void start(String mainCf, String masterCf, int port) throws Exception {
        Files.writeString(etc.resolve("main.cf"), mainCf);
        Files.writeString(etc.resolve("master.cf"), masterCf);
        run("/usr/sbin/postconf", "-c", etc.toString(), "-F", "*/*/chroot = n");
        run(POSTFIX, "-c", etc.toString(), "check");
        run(POSTFIX, "-c", etc.toString(), "start");
        started = true;
        waitFor("smtpd to listen on port " + port, () -> listening(port));
    }

    /** Stops Postfix (when started) and releases the lock. */
    @Override
    public void close() throws IOException {
        if (started) {
            runQuietly(POSTFIX, "-c", etc.toString(), "stop");
            started = false;
        }
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    /** Asks Postfix to retry the deferred mail now. */
    void flushQueue() throws Exception {
        run("/usr/sbin/postqueue", "-c", etc.toString(), "-f");
    }

    boolean queueEmpty() {
        try {
            return run("/usr/sbin/postqueue", "-c", etc.toString(), "-p").contains("Mail queue is empty");
        } catch (Exception e) {
            return false;
        }
    }

    /** The mails delivered to {@code user}'s maildir, in name (arrival) order. */
    List<Path> mailbox(String user) throws IOException {
        Path dir = mail.resolve(user).resolve("new");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    int count(String user) {
        try {
            return mailbox(user).size();
        } catch (IOException e) {
            return 0;
        }
    }

    List<Path> waitForMail(String user, int count) throws Exception {
        waitFor(count + " mail(s) for " + user, () -> count(user) >= count);
        return mailbox(user);
    }

    String maillog() {
        return readQuietly(maillog);
    }

    String filterLog() {
        return readQuietly(store.resolve("filter.log"));
    }

    /** Polls {@code condition}; on timeout fails with the logs, which say why. */
    void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                StringBuilder logs = new StringBuilder("waited " + wait.toSeconds() + " s for " + what)
                        .append("; mail log:\n").append(maillog())
                        .append("\nfilter log:\n").append(filterLog());
                for (Path file : shownOnTimeout) {
                    logs.append('\n').append(file.getFileName()).append(":\n").append(readQuietly(file));
                }
                throw new AssertionError(logs.toString());
            }
            Thread.sleep(200);
        }
    }

    // ------------------------------------------------------------------ helpers

    static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    static void runQuietly(String... command) {
        try {
            run(command);
        } catch (Exception ignored) {
            // best effort
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}

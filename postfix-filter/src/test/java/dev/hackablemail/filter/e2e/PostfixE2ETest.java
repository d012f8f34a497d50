package dev.hackablemail.filter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hackablemail.store.FolderStore;
import dev.hackablemail.filter.MailMessage;
import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The filter behind a real Postfix (Debian's, installed by {@code .ci/install-postfix.sh}):
 * a private instance in {@value #BASE}, listening on a free loopback port, whose smtpd hands
 * every mail to {@code bin/hackable-email filter} as a pipe(8) service running as
 * {@code nobody}; the filter re-injects with {@code sendmail -C BASE/etc}. Mail is sent over
 * SMTP and read from the virtual mailboxes (maildirs).
 *
 * <p>Skipped (JUnit assumption) without {@code /usr/sbin/postfix} or when not root. The
 * config folder is fixed because Postfix only accepts {@code -C DIR} for a DIR listed in
 * {@code alternate_config_directories} of /etc/postfix/main.cf (added there when missing);
 * a file lock next to it makes concurrent builds on one machine take turns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostfixE2ETest {

    static final String BASE = "/tmp/hackable-email-e2e";
    static final Duration WAIT = Duration.ofSeconds(60);

    final Path base = Path.of(BASE);
    final Path etc = base.resolve("etc");
    final Path mail = base.resolve("mail");
    final Path store = base.resolve("store");
    final Path broken = base.resolve("sendmail-broken");
    int port;
    boolean started;
    /** Held for the whole class: two builds in one machine (one folder) take turns. */
    java.nio.channels.FileChannel lockChannel;

    @BeforeAll
    void startPostfix() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/postfix")), "Postfix is not installed (.ci/install-postfix.sh)");
        assumeTrue(run("id", "-u").trim().equals("0"), "the Postfix end-to-end test needs root");
        Path jar = Path.of(System.getProperty("hackable.jar", "target/hackable-email.jar")).toAbsolutePath();
        Path launcher = Path.of(System.getProperty("hackable.root", "..")).resolve("bin/hackable-email").toAbsolutePath();
        assumeTrue(Files.isRegularFile(jar), "the shaded jar is missing: run mvn package first");
        lockChannel = java.nio.channels.FileChannel.open(Path.of(BASE + ".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        lockChannel.lock(); // waits while another build's run of this test has the instance

        if (Files.exists(etc.resolve("main.cf"))) {
            runQuietly("/usr/sbin/postfix", "-c", etc.toString(), "stop");
        }
        deleteTree(base);
        for (Path dir : List.of(etc, mail, store, base.resolve("queue"), base.resolve("data"), base.resolve("log"),
                base.resolve("app/bin"), base.resolve("app/postfix-filter/target"))) {
            Files.createDirectories(dir);
        }
        run("chown", "postfix", base.resolve("data").toString());
        run("chown", "nobody:nogroup", mail.toString(), store.toString());
        allowAlternateConfigDirectory();

        // The launcher and the jar where the launcher looks for it, readable by the filter user.
        Files.copy(launcher, base.resolve("app/bin/hackable-email"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(jar, base.resolve("app/postfix-filter/target/hackable-email.jar"));

        Path sendmail = base.resolve("sendmail");
        Files.writeString(sendmail, "#!/bin/sh\n"
                + "# the real sendmail into the private instance, or a failure while " + broken + " exists\n"
                + "if [ -e '" + broken + "' ]; then cat >/dev/null; echo 'sendmail: fatal: simulated outage' >&2; exit 75; fi\n"
                + "exec /usr/sbin/sendmail -C '" + etc + "' \"$@\"\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(base.resolve("filter.yaml"), "store: " + store + "\n"
                + "sendmail: " + sendmail + "\n"
                + "plugin_timeout: 2s\n"
                + "sendmail_timeout: 15s\n"
                + "time_limit: 40s\n"
                + "reply_period: 1d\n");

        port = freePort();
        Files.writeString(etc.resolve("main.cf"), mainCf());
        Files.writeString(etc.resolve("master.cf"), masterCf());
        run("/usr/sbin/postconf", "-c", etc.toString(), "-F", "*/*/chroot = n");
        run("/usr/sbin/postfix", "-c", etc.toString(), "check");
        run("/usr/sbin/postfix", "-c", etc.toString(), "start");
        started = true;
        waitFor("smtpd to listen on port " + port, () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return s.isConnected();
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterAll
    void stopPostfix() throws IOException {
        if (started) {
            runQuietly("/usr/sbin/postfix", "-c", etc.toString(), "stop");
        }
        if (lockChannel != null) {
            lockChannel.close();
        }
    }

    @Test
    @Order(1)
    void theExamplePluginDeliversTheMailByteForByteAndRepliesToProjectXyz() throws Exception {
        installPlugin("bob@test.local", Files.readAllBytes(Path.of("../example-plugin/dist/plugin.wasm")));
        // Subject mentions Project XYZ; To names the recipient, as a reply needs (RFC 5230 4.5).
        byte[] sent = new String(resource("/mail/multipart-attachments.eml"), StandardCharsets.ISO_8859_1)
                .replace("\nTo: bob@example.com\n", "\nTo: bob@test.local\n").getBytes(StandardCharsets.ISO_8859_1);
        SmtpClient.send(port, "alice@test.local", "bob@test.local", sent);

        Path delivered = waitForMail("bob", 1).get(0);
        byte[] received = Files.readAllBytes(delivered);
        assertThat(bodyOf(received)).as("body and attachments").isEqualTo(bodyOf(sent));
        String receivedHeader = headerOf(received);
        assertThat(receivedHeader).as("the original header, in order, after Postfix's trace headers")
                .endsWith(headerOf(sent));

        Path reply = waitForMail("alice", 1).get(0);
        MailMessage r = MailMessage.parse(Files.readAllBytes(reply));
        assertThat(r.header("Subject")).isEqualTo("RE: Quarterly report – Project XYZ");
        assertThat(r.header("From")).isEqualTo("<bob@test.local>");
        assertThat(r.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(r.header("In-Reply-To")).isEqualTo("<multi-1@example.org>");
        assertThat(r.header("Return-Path")).isEqualTo("<>");
        assertThat(r.body()).contains("Project XYZ is forbidden");
        assertThat(Files.readString(store.resolve("filter.log"))).contains("deliver=0", "reply=0", "exit=0");
    }

    @Test
    @Order(2)
    void aPluginThatLoopsForeverBouncesInsteadOfBlockingTheQueue() throws Exception {
        installPlugin("carol@test.local", Wat2Wasm.parse("(module (memory (export \"memory\") 1)"
                + " (func (export \"onEmail\") (result i32) (loop $l (br $l)) (i32.const 0)))"));
        SmtpClient.send(port, "dave@test.local", "carol@test.local",
                "From: dave@test.local\nTo: carol@test.local\nSubject: are you there?\n\nhello\n"
                        .getBytes(StandardCharsets.US_ASCII));
        Path dsn = waitForMail("dave", 1).get(0);
        String bounce = Files.readString(dsn, StandardCharsets.ISO_8859_1).replaceAll("\\s+", " ");
        assertThat(bounce).contains("Undelivered Mail Returned to Sender",
                "<carol@test.local>: internal software error. Command output: hackable-email: "
                        + "carol@test.local's plugin: onEmail did not finish within 2 s (time limit) and was stopped");
        assertThat(mailbox("carol")).isEmpty();
        waitFor("an empty queue", this::queueEmpty);
    }

    @Test
    @Order(3)
    void aFailingSendmailDefersTheMailUntilItWorksAgain() throws Exception {
        Files.createFile(broken);
        SmtpClient.send(port, "dave@test.local", "bob@test.local",
                "From: dave@test.local\nTo: bob@test.local\nSubject: deferred, not lost\nMessage-ID: <d1@test.local>\n\n"
                        .concat("see you\n").getBytes(StandardCharsets.US_ASCII));
        waitFor("the deferral in the mail log", () -> maillog().contains("status=deferred")
                && maillog().contains("simulated outage"));
        assertThat(maillog()).contains("hackable-email: delivery failed");
        assertThat(mailbox("bob")).hasSize(1); // only the mail of the first test
        assertThat(queueEmpty()).isFalse();

        Files.delete(broken);
        run("/usr/sbin/postqueue", "-c", etc.toString(), "-f");
        List<Path> bob = waitForMail("bob", 2);
        Thread.sleep(3000); // nothing more arrives: delivered once
        assertThat(mailbox("bob")).hasSize(2);
        assertThat(bob.stream().map(this::read)).anyMatch(m -> m.contains("Subject: deferred, not lost"));
        waitFor("an empty queue", this::queueEmpty);
    }

    // ------------------------------------------------------------------ the instance

    private String mainCf() {
        return String.join("\n",
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
                "virtual_mailbox_maps = inline:{ alice@test.local=alice/, bob@test.local=bob/, "
                        + "carol@test.local=carol/, dave@test.local=dave/ }",
                "virtual_uid_maps = static:65534",
                "virtual_gid_maps = static:65534",
                "maillog_file = " + base.resolve("log/maillog"),
                "maillog_file_prefixes = " + base,
                "hackable_destination_recipient_limit = 1",
                "queue_run_delay = 2s",
                "minimal_backoff_time = 2s",
                "maximal_backoff_time = 4s",
                "delay_warning_time = 0",
                "biff = no",
                "") ;
    }

    private String masterCf() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/etc/postfix/master.cf"))) {
            if (line.startsWith("smtp ") && line.contains(" inet ")) {
                out.append("127.0.0.1:").append(port)
                        .append(" inet n - n - - smtpd -o content_filter=hackable:dummy\n");
            } else {
                out.append(line).append('\n');
            }
        }
        out.append("hackable unix - n n - 10 pipe\n")
                .append("  flags=Rq user=nobody null_sender= argv=").append(base.resolve("app/bin/hackable-email"))
                .append(" filter --config ").append(base.resolve("filter.yaml"))
                .append(" -f ${sender} -- ${recipient}\n");
        return out.toString();
    }

    private void allowAlternateConfigDirectory() throws Exception {
        String current = run("/usr/sbin/postconf", "-h", "alternate_config_directories").trim();
        if (!List.of(current.split("[,\\s]+")).contains(etc.toString())) {
            run("/usr/sbin/postconf", "-e", "alternate_config_directories = "
                    + (current.isEmpty() ? "" : current + ", ") + etc);
        }
    }

    private void installPlugin(String address, byte[] wasm) throws Exception {
        new FolderStore(store).push(address, wasm, java.time.Instant.now(), "admin", List.of(), 20);
        run("chown", "-R", "nobody:nogroup", store.toString());
    }

    private List<Path> mailbox(String user) throws IOException {
        Path dir = mail.resolve(user).resolve("new");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private List<Path> waitForMail(String user, int count) throws Exception {
        waitFor(count + " mail(s) for " + user, () -> {
            try {
                return mailbox(user).size() >= count;
            } catch (IOException e) {
                return false;
            }
        });
        return mailbox(user);
    }

    private boolean queueEmpty() {
        try {
            return run("/usr/sbin/postqueue", "-c", etc.toString(), "-p").contains("Mail queue is empty");
        } catch (Exception e) {
            return false;
        }
    }

    private String maillog() {
        try {
            return Files.readString(base.resolve("log/maillog"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "; mail log:\n" + maillog()
                        + "\nfilter log:\n" + read(store.resolve("filter.log")));
            }
            Thread.sleep(200);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The part after the first empty line, with LF line ends (SMTP carried CRLF, the maildir has LF). */
    static byte[] bodyOf(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        return text.substring(text.indexOf("\n\n") + 2).getBytes(StandardCharsets.ISO_8859_1);
    }

    static String headerOf(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        return text.substring(0, text.indexOf("\n\n") + 1);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = PostfixE2ETest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
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

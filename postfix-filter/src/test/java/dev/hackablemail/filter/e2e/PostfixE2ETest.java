package dev.hackablemail.filter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.hackablemail.filter.e2e.PrivatePostfix.freePort;
import static dev.hackablemail.filter.e2e.PrivatePostfix.run;

import dev.hackablemail.store.FolderStore;
import dev.hackablemail.filter.MailMessage;
import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
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

    final PrivatePostfix postfix = new PrivatePostfix(BASE, Duration.ofSeconds(60));
    final Path broken = postfix.base.resolve("sendmail-broken");
    int port;

    @BeforeAll
    void startPostfix() throws Exception {
        PrivatePostfix.assumeUsable();
        Path jar = PrivatePostfix.shadedJar();
        Path launcher = Path.of(System.getProperty("hackable.root", "..")).resolve("bin/hackable-email").toAbsolutePath();
        postfix.prepare();
        run("chown", "nobody:nogroup", postfix.store.toString()); // the pipe runs the filter as nobody
        allowAlternateConfigDirectory();

        // The launcher and the jar where the launcher looks for it, readable by the filter user.
        Files.createDirectories(postfix.base.resolve("app/bin"));
        Files.createDirectories(postfix.base.resolve("app/postfix-filter/target"));
        Files.copy(launcher, postfix.base.resolve("app/bin/hackable-email"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(jar, postfix.base.resolve("app/postfix-filter/target/hackable-email.jar"));

        Path sendmail = postfix.base.resolve("sendmail");
        Files.writeString(sendmail, "#!/bin/sh\n"
                + "# the real sendmail into the private instance, or a failure while " + broken + " exists\n"
                + "if [ -e '" + broken + "' ]; then cat >/dev/null; echo 'sendmail: fatal: simulated outage' >&2; exit 75; fi\n"
                + "exec /usr/sbin/sendmail -C '" + postfix.etc + "' \"$@\"\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(postfix.base.resolve("filter.yaml"), "store: " + postfix.store + "\n"
                + "sendmail: " + sendmail + "\n"
                + "plugin_timeout: 2s\n"
                + "sendmail_timeout: 15s\n"
                + "time_limit: 40s\n"
                + "reply_period: 1d\n");

        port = freePort();
        postfix.start(postfix.mainCf(List.of("alice", "bob", "carol", "dave"),
                        "hackable_destination_recipient_limit = 1",
                        "queue_run_delay = 2s",
                        "minimal_backoff_time = 2s",
                        "maximal_backoff_time = 4s"),
                PrivatePostfix.masterCf(port, "  -o content_filter=hackable:dummy\n",
                        "hackable unix - n n - 10 pipe\n"
                                + "  flags=Rq user=nobody null_sender= argv=" + postfix.base.resolve("app/bin/hackable-email")
                                + " filter --config " + postfix.base.resolve("filter.yaml")
                                + " -f ${sender} -- ${recipient}\n"),
                port);
    }

    @AfterAll
    void stopPostfix() throws IOException {
        postfix.close();
    }

    @Test
    @Order(1)
    void theExamplePluginDeliversTheMailByteForByteAndRepliesToProjectXyz() throws Exception {
        installPlugin("bob@test.local", Files.readAllBytes(Path.of("../example-plugin/dist/plugin.wasm")));
        byte[] sent = projectXyzMailToBob();
        SmtpClient.send(port, "alice@test.local", "bob@test.local", sent);

        Path delivered = postfix.waitForMail("bob", 1).get(0);
        byte[] received = Files.readAllBytes(delivered);
        assertThat(bodyOf(received)).as("body and attachments").isEqualTo(bodyOf(sent));
        String receivedHeader = headerOf(received);
        assertThat(receivedHeader).as("the original header, in order, after Postfix's trace headers")
                .endsWith(headerOf(sent));

        Path reply = postfix.waitForMail("alice", 1).get(0);
        MailMessage r = MailMessage.parse(Files.readAllBytes(reply));
        assertThat(r.header("Subject")).isEqualTo("RE: Quarterly report – Project XYZ");
        assertThat(r.header("From")).isEqualTo("<bob@test.local>");
        assertThat(r.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(r.header("In-Reply-To")).isEqualTo("<multi-1@example.org>");
        assertThat(r.header("Return-Path")).isEqualTo("<>");
        assertThat(r.body()).contains("Project XYZ is forbidden");
        assertThat(Files.readString(postfix.store.resolve("filter.log"))).contains("deliver=0", "reply=0", "exit=0");
    }

    @Test
    @Order(2)
    void aPluginThatLoopsForeverBouncesInsteadOfBlockingTheQueue() throws Exception {
        installPlugin("carol@test.local", Wat2Wasm.parse("(module (memory (export \"memory\") 1)"
                + " (func (export \"onEmail\") (result i32) (loop $l (br $l)) (i32.const 0)))"));
        SmtpClient.send(port, "dave@test.local", "carol@test.local",
                "From: dave@test.local\nTo: carol@test.local\nSubject: are you there?\n\nhello\n"
                        .getBytes(StandardCharsets.US_ASCII));
        Path dsn = postfix.waitForMail("dave", 1).get(0);
        String bounce = Files.readString(dsn, StandardCharsets.ISO_8859_1).replaceAll("\\s+", " ");
        assertThat(bounce).contains("Undelivered Mail Returned to Sender",
                "<carol@test.local>: internal software error. Command output: hackable-email: "
                        + "carol@test.local's plugin: onEmail did not finish within 2 s (time limit) and was stopped");
        assertThat(postfix.mailbox("carol")).isEmpty();
        postfix.waitFor("an empty queue", postfix::queueEmpty);
    }

    @Test
    @Order(3)
    void aFailingSendmailDefersTheMailUntilItWorksAgain() throws Exception {
        Files.createFile(broken);
        SmtpClient.send(port, "dave@test.local", "bob@test.local",
                "From: dave@test.local\nTo: bob@test.local\nSubject: deferred, not lost\nMessage-ID: <d1@test.local>\n\n"
                        .concat("see you\n").getBytes(StandardCharsets.US_ASCII));
        postfix.waitFor("the deferral in the mail log", () -> postfix.maillog().contains("status=deferred")
                && postfix.maillog().contains("simulated outage"));
        assertThat(postfix.maillog()).contains("hackable-email: delivery failed");
        assertThat(postfix.mailbox("bob")).hasSize(1); // only the mail of the first test
        assertThat(postfix.queueEmpty()).isFalse();

        Files.delete(broken);
        postfix.flushQueue();
        List<Path> bob = postfix.waitForMail("bob", 2);
        Thread.sleep(3000); // nothing more arrives: delivered once
        assertThat(postfix.mailbox("bob")).hasSize(2);
        assertThat(bob.stream().map(PrivatePostfix::readQuietly)).anyMatch(m -> m.contains("Subject: deferred, not lost"));
        postfix.waitFor("an empty queue", postfix::queueEmpty);
    }

    // ------------------------------------------------------------------ the instance

    /** Postfix accepts {@code sendmail -C DIR} only for a DIR listed in /etc/postfix/main.cf. */
    private void allowAlternateConfigDirectory() throws Exception {
        String current = run("/usr/sbin/postconf", "-h", "alternate_config_directories").trim();
        if (!List.of(current.split("[,\\s]+")).contains(postfix.etc.toString())) {
            run("/usr/sbin/postconf", "-e", "alternate_config_directories = "
                    + (current.isEmpty() ? "" : current + ", ") + postfix.etc);
        }
    }

    private void installPlugin(String address, byte[] wasm) throws Exception {
        new FolderStore(postfix.store).push(address, wasm, java.time.Instant.now(), "admin", List.of(), 20);
        run("chown", "-R", "nobody:nogroup", postfix.store.toString());
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

    /** Multipart mail whose Subject mentions Project XYZ; To names bob@test.local, as a reply needs (RFC 5230 4.5). */
    static byte[] projectXyzMailToBob() throws IOException {
        return new String(resource("/mail/multipart-attachments.eml"), StandardCharsets.ISO_8859_1)
                .replace("\nTo: bob@example.com\n", "\nTo: bob@test.local\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = PostfixE2ETest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}

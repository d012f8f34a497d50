package dev.hackablemail.filter.e2e;

import static dev.hackablemail.filter.e2e.PostfixE2ETest.bodyOf;
import static dev.hackablemail.filter.e2e.PostfixE2ETest.headerOf;
import static dev.hackablemail.filter.e2e.PostfixE2ETest.projectXyzMailToBob;
import static dev.hackablemail.filter.e2e.PrivatePostfix.freePort;
import static dev.hackablemail.filter.e2e.PrivatePostfix.listening;
import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.hackablemail.store.FolderStore;
import dev.hackablemail.filter.MailMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The daemon ({@code hackable-email smtpd}) behind a real Postfix, set up as FILTER_README's
 * after-queue content filter: a private instance in {@value #BASE} whose smtpd (free port)
 * has {@code content_filter=hackable-smtp:[127.0.0.1]:DAEMON}, the daemon as a child JVM,
 * and a second smtpd without content filter (another free port) that takes the mail back
 * into virtual mailboxes (maildirs).
 *
 * <p>Skipped (JUnit assumption) without {@code /usr/sbin/postfix} or when not root. A lock
 * file next to the folder makes concurrent builds on one machine take turns; the folder is
 * not the pipe filter test's, so both tests can run at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostfixSmtpdE2ETest {

    static final String BASE = "/tmp/hackable-email-smtpd-e2e";

    final PrivatePostfix postfix = new PrivatePostfix(BASE, Duration.ofSeconds(90));
    final Path config = postfix.base.resolve("filter.yaml");
    final Path daemonOut = postfix.base.resolve("log/daemon.out");
    int port;
    int reinjectPort;
    int daemonPort;
    int policyPort;
    int metricsPort;
    Process daemon;

    @BeforeAll
    void start() throws Exception {
        PrivatePostfix.assumeUsable();
        Path jar = PrivatePostfix.shadedJar();
        postfix.prepare().showOnTimeout(daemonOut);
        Files.copy(jar, postfix.base.resolve("hackable-email.jar"));

        port = freePort();
        reinjectPort = freePort();
        daemonPort = freePort();
        policyPort = freePort();
        metricsPort = freePort();
        Files.writeString(config, "store: " + postfix.store + "\n"
                + "plugin_timeout: 2s\n"
                + "reply_period: 1d\n"
                + "smtpd:\n"
                + "  listen: 127.0.0.1:" + daemonPort + "\n"
                + "  reinject: 127.0.0.1:" + reinjectPort + "\n"
                + "  max_sessions: 10\n"
                + "  reinject_policy: 127.0.0.1:" + policyPort + "\n"
                + "  metrics: 127.0.0.1:" + metricsPort + "\n");
        startDaemon();
        postfix.start(mainCf(), masterCf(), port);
    }

    @AfterAll
    void stop() throws IOException {
        if (daemon != null) {
            daemon.destroy();
        }
        postfix.close();
    }

    @Test
    @Order(1)
    void theExamplePluginDeliversTheMailByteForByteAndRepliesToProjectXyz() throws Exception {
        installPlugin("bob@test.local", Files.readAllBytes(Path.of("../example-plugin/dist/plugin.wasm")));
        byte[] sent = projectXyzMailToBob();
        SmtpClient.send(port, "alice@test.local", "bob@test.local", sent);

        byte[] received = Files.readAllBytes(postfix.waitForMail("bob", 1).get(0));
        assertThat(bodyOf(received)).as("body and attachments").isEqualTo(bodyOf(sent));
        assertThat(headerOf(received)).as("the original header, in order, after Postfix's trace headers")
                .endsWith(headerOf(sent));

        MailMessage r = MailMessage.parse(Files.readAllBytes(postfix.waitForMail("alice", 1).get(0)));
        assertThat(r.header("Subject")).isEqualTo("RE: Quarterly report – Project XYZ");
        assertThat(r.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(r.header("Return-Path")).isEqualTo("<>");
        assertThat(r.body()).contains("Project XYZ is forbidden");
        // The daemon writes its log line once the transaction is over: after both mails can be
        // in their maildirs. Wait for the line (bounded) before reading it.
        postfix.waitFor("the daemon's log line of the delivery to bob",
                () -> postfix.filterLog().contains("to=<bob@test.local>") && postfix.filterLog().contains("exit="));
        assertThat(postfix.filterLog()).contains("to=<bob@test.local>", "deliver=0", "reply=0", "exit=0");
        // Postfix's smtp client logs the daemon's 250 after the daemon has re-injected: the
        // mail can be in the maildirs before that line is in the mail log.
        postfix.waitFor("the delivery to the daemon in the mail log",
                () -> postfix.maillog().contains("relay=127.0.0.1[127.0.0.1]:" + daemonPort));
        assertThat(postfix.maillog()).contains("relay=127.0.0.1[127.0.0.1]:" + daemonPort, "250 2.0.0 Ok");
        assertThat(metrics()).as("the delivery was journaled at the re-injection's end-of-data policy request;"
                + " the reply's request matched nothing").contains("hackable_smtpd_handed_over_at_end_of_data_total 1\n",
                "hackable_smtpd_policy_requests_total 2\n");
    }

    private String metrics() throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    @Test
    @Order(2)
    void aPluginThatLoopsForeverIsBouncedWithTheFiltersReason() throws Exception {
        installPlugin("carol@test.local", Wat2Wasm.parse("(module (memory (export \"memory\") 1)"
                + " (func (export \"onEmail\") (result i32) (loop $l (br $l)) (i32.const 0)))"));
        SmtpClient.send(port, "dave@test.local", "carol@test.local",
                "From: dave@test.local\nTo: carol@test.local\nSubject: are you there?\n\nhello\n"
                        .getBytes(StandardCharsets.US_ASCII));
        String bounce = Files.readString(postfix.waitForMail("dave", 1).get(0), StandardCharsets.ISO_8859_1)
                .replaceAll("\\s+", " ");
        assertThat(bounce).contains("Undelivered Mail Returned to Sender", "said: 554 5.3.0 hackable-email: "
                + "carol@test.local's plugin: onEmail did not finish within 2 s (time limit) and was stopped");
        assertThat(postfix.mailbox("carol")).isEmpty();
        postfix.waitFor("an empty queue", postfix::queueEmpty);
    }

    @Test
    @Order(3)
    void killedInTheMiddleOfALoadAndRestartedEveryMessageArrivesExactlyOnce() throws Exception {
        installPlugin("erin@test.local", Files.readAllBytes(Path.of("../example-plugin/dist/plugin.wasm")));
        int messages = 120;
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            int n = i;
            // every fifth mentions Project XYZ (deliver and reply), each from its own sender
            String sender = "sender" + n + "@test.local";
            String subject = (n % 5 == 0 ? "Project XYZ " : "load ") + n;
            byte[] message = ("From: " + sender + "\nTo: erin@test.local\nSubject: " + subject
                    + "\nMessage-ID: <load-" + n + "@test.local>\n\nmessage " + n + "\n").getBytes(StandardCharsets.US_ASCII);
            sent.add(senders.submit(() -> {
                SmtpClient.send(port, sender, "erin@test.local", message);
                return null;
            }));
        }
        postfix.waitFor("some of the load delivered", () -> postfix.count("erin") >= 15);
        daemon.destroyForcibly(); // SIGKILL, in the middle of the load
        daemon.waitFor();
        int atKill = postfix.count("erin");
        for (Future<?> f : sent) {
            f.get(); // Postfix queued every message: its smtpd does not wait for the filter
        }
        senders.shutdown();
        Thread.sleep(1000);
        startDaemon();
        postfix.flushQueue();

        postfix.waitFor(messages + " mails for erin", () -> postfix.count("erin") >= messages);
        postfix.waitFor("an empty queue", postfix::queueEmpty);
        Map<String, Integer> subjects = new HashMap<>();
        for (Path p : postfix.mailbox("erin")) {
            subjects.merge(MailMessage.parse(Files.readAllBytes(p)).header("Subject"), 1, Integer::sum);
        }
        assertThat(subjects).as("every one of the " + messages + " messages arrived (" + atKill
                + " before the kill)").hasSize(messages);
        // Exactly once: the re-injection smtpd asks the daemon's policy service at the end of
        // DATA, and the daemon journals the delivery right after its answer, before Postfix
        // commits the mail (HandOvers). A message sent again after it was handed over is
        // recognized by the journal.
        String log = postfix.filterLog();
        subjects.forEach((subject, times) -> assertThat(times).as(subject + " arrived").isEqualTo(1));
        for (int n = 0; n < messages; n += 5) {
            assertThat(postfix.count("sender" + n)).as("replies to sender" + n).isLessThanOrEqualTo(1);
        }
        assertThat(postfix.maillog()).as("the kill was felt").containsPattern("lost connection|Connection refused|conversation");
        System.out.printf("PostfixSmtpdE2ETest: %d of %d delivered before the SIGKILL; %d sent again by Postfix"
                + " after being handed over, recognized by the journal; each arrived once%n",
                atKill, messages, duplicates(log));
    }

    @Test
    @Order(4)
    void sigtermStopsTheDaemonCleanly() throws Exception {
        daemon.destroy(); // SIGTERM
        assertThat(daemon.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).as("drained, then exit 0").isZero();
        assertThat(postfix.filterLog()).contains("smtpd: stopping, ", "smtpd: stopped");
        assertThat(listening(daemonPort)).isFalse();
        daemon = null;
    }

    // ------------------------------------------------------------------ the instance

    private void startDaemon() throws Exception {
        daemon = new ProcessBuilder("java", "-Xss4m", "-jar", postfix.base.resolve("hackable-email.jar").toString(),
                "smtpd", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(daemonOut.toFile()))
                .start();
        postfix.waitFor("the daemon to listen on port " + daemonPort, () -> listening(daemonPort));
    }

    private String mainCf() {
        List<String> users = new ArrayList<>(List.of("alice", "bob", "carol", "dave", "erin"));
        for (int n = 0; n < 200; n += 5) {
            users.add("sender" + n);
        }
        return postfix.mainCf(users,
                // FILTER_README: one recipient per delivery to the content filter
                "hackable-smtp_destination_recipient_limit = 1",
                "queue_run_delay = 1s",
                "minimal_backoff_time = 1s",
                "maximal_backoff_time = 2s");
    }

    private String masterCf() throws IOException {
        // FILTER_README's after-queue content filter (without XFORWARD, which the daemon does
        // not offer): the client that delivers to the daemon, and the smtpd without content
        // filter that takes the mail back.
        return PrivatePostfix.masterCf(port, "  -o content_filter=hackable-smtp:[127.0.0.1]:" + daemonPort + "\n",
                "hackable-smtp unix - - n - 10 smtp\n"
                        + "  -o smtp_data_done_timeout=1200\n"
                        + "  -o disable_dns_lookups=yes\n"
                        + "  -o max_use=20\n"
                        + "127.0.0.1:" + reinjectPort + " inet n - n - - smtpd\n"
                        + "  -o content_filter=\n"
                        + "  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters\n"
                        + "  -o smtpd_helo_restrictions=\n"
                        + "  -o smtpd_client_restrictions=\n"
                        + "  -o smtpd_sender_restrictions=\n"
                        + "  -o smtpd_relay_restrictions=permit_mynetworks,reject\n"
                        + "  -o smtpd_recipient_restrictions=permit_mynetworks,reject\n"
                        + "  -o mynetworks=127.0.0.0/8\n"
                        // the hand-over: the daemon journals a delivery before this smtpd commits it
                        + "  -o smtpd_end_of_data_restrictions=check_policy_service,inet:127.0.0.1:" + policyPort + "\n"
                        + "  -o smtpd_policy_service_try_limit=1\n");
    }

    private void installPlugin(String address, byte[] wasm) throws IOException {
        try (FolderStore guests = new FolderStore(postfix.store)) {
            guests.push(address, wasm, java.time.Instant.now(), "admin", List.of(), 20);
        }
    }

    /** How many lines of the filter log say a message was recognized as delivered before (for the report). */
    static int duplicates(String log) {
        Matcher m = Pattern.compile("duplicate=").matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

package dev.hackablemail.filter.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.FilterLog;
import dev.hackablemail.store.FolderStore;
import dev.hackablemail.filter.MailMessage;
import dev.hackablemail.filter.TestPlugins;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The daemon in process, between a raw SMTP client and a recording re-injection server. */
class ContentFilterDaemonTest {

    static final String ALICE = "alice@example.org";
    static final String BOB = "bob@example.com";

    @TempDir
    Path tmp;
    FolderStore store;
    RecordingSmtpServer reinjection;
    ContentFilterDaemon daemon;
    Map<String, Object> smtpd = new HashMap<>();
    /** Filter settings beyond the test's own (a PostgreSQL store, store_timeout...). */
    Map<String, Object> settings = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        store = new FolderStore(tmp.resolve("store"));
        Files.createDirectories(store.root());
        reinjection = new RecordingSmtpServer();
        smtpd.put("listen", "127.0.0.1:0");
        smtpd.put("reinject", reinjection.address().toString());
    }

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.stop();
        }
        reinjection.close();
    }

    ContentFilterDaemon start() throws IOException {
        Map<String, Object> values = new HashMap<>(Map.of("store", store.root().toString(),
                "log", tmp.resolve("filter.log").toString(), "plugin_timeout", "3s", "reply_period", "1d"));
        values.putAll(settings);
        FilterConfig config = FilterConfig.fromMap(values, "test");
        daemon = new ContentFilterDaemon(config, SmtpdConfig.fromSection(smtpd, config, "test"),
                FilterLog.of(config, Clock.systemUTC()), Clock.systemUTC());
        daemon.start();
        return daemon;
    }

    void install(String address, byte[] wasm) throws IOException {
        store.push(address, wasm, java.time.Instant.now(), "admin", java.util.List.of(), 20);
    }

    String send(String from, String to, byte[] message) throws IOException {
        return SmtpTalk.sendOne(start0(), from, to, message);
    }

    private SmtpdConfig.HostPort start0() throws IOException {
        return (daemon == null ? start() : daemon).listenAddress();
    }

    static byte[] mail(String name) throws IOException {
        try (InputStream in = ContentFilterDaemonTest.class.getResourceAsStream("/mail/" + name)) {
            return SmtpTalk.crlf(in.readAllBytes());
        }
    }

    static byte[] simple(String subject) {
        return SmtpTalk.crlf(("From: alice@example.org\nTo: bob@example.com\nSubject: " + subject
                + "\nMessage-ID: <" + System.nanoTime() + "@example.org>\n\nhello\n.leading dot\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    String log() throws IOException {
        return Files.readString(tmp.resolve("filter.log"));
    }

    @Test
    void theExamplePluginDeliversTheOriginalBytesAndAnswers250() throws Exception {
        install(BOB, Files.readAllBytes(TestPlugins.EXAMPLE));
        byte[] sent = mail("eightbit-latin1.eml");

        assertThat(send(ALICE, BOB, sent)).startsWith("250 2.0.0");

        assertThat(reinjection.received).hasSize(1);
        RecordingSmtpServer.Received got = reinjection.received.get(0);
        assertThat(got.sender()).isEqualTo(ALICE);
        assertThat(got.recipient()).isEqualTo(BOB);
        assertThat(got.bytes()).as("byte for byte, 8-bit and dot lines included").isEqualTo(sent);
        assertThat(log()).contains("from=<alice@example.org> to=<bob@example.com>", "plugin=", "deliver=0", "exit=0");
    }

    @Test
    void projectXyzIsDeliveredAndAnsweredWithTheNullSender() throws Exception {
        install(BOB, Files.readAllBytes(TestPlugins.EXAMPLE));
        byte[] sent = mail("multipart-attachments.eml");

        assertThat(send(ALICE, BOB, sent)).startsWith("250 ");

        assertThat(reinjection.to(BOB)).singleElement().satisfies(r -> assertThat(r.bytes()).isEqualTo(sent));
        assertThat(reinjection.to(ALICE)).as(log()).hasSize(1);
        RecordingSmtpServer.Received reply = reinjection.to(ALICE).get(0);
        assertThat(reply.sender()).as("RFC 3834: the null sender").isEmpty();
        MailMessage r = MailMessage.parse(reply.bytes());
        assertThat(r.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(r.body()).contains("Project XYZ is forbidden");
    }

    @Test
    void aPluginThatLoopsIsBouncedWithItsReasonAndNothingIsDelivered() throws Exception {
        install(BOB, TestPlugins.spinForever());

        String answer = send(ALICE, BOB, simple("are you there?"));

        assertThat(answer).startsWith("554 5.3.0 hackable-email: bob@example.com's plugin: onEmail did not finish");
        assertThat(reinjection.received).isEmpty();
    }

    @Test
    void aPluginsOwnCodeBecomesTheMatching5xx() throws Exception {
        install(BOB, TestPlugins.returning("67"));
        assertThat(send(ALICE, BOB, simple("hi"))).startsWith("550 5.1.1 hackable-email: the recipient's plugin rejected");
    }

    @Test
    void aFailingReinjectionServerDefersTheMail() throws Exception {
        reinjection.failWith = 451;
        assertThat(send(ALICE, BOB, simple("no plugin"))).startsWith("451 4.3.0 hackable-email: delivery failed:")
                .contains("simulated outage");
        reinjection.failWith = 554;
        assertThat(send(ALICE, BOB, simple("no plugin"))).as("a refusal there is still a failure of ours")
                .startsWith("451 4.3.0");
        assertThat(reinjection.received).isEmpty();
    }

    @Test
    void aReinjectionServerThatIsDownDefersTheMail() throws Exception {
        smtpd.put("reinject", "127.0.0.1:" + freePort());
        assertThat(send(ALICE, BOB, simple("nobody listens"))).startsWith("451 4.3.0 hackable-email: delivery failed:");
    }

    @Test
    void oneRecipientPerTransactionTheNextIsToldToComeAgain() throws Exception {
        try (SmtpTalk talk = new SmtpTalk(start().listenAddress())) {
            talk.command("EHLO test.local");
            assertThat(talk.command("MAIL FROM:<alice@example.org>")).startsWith("250");
            assertThat(talk.command("RCPT TO:<bob@example.com>")).startsWith("250");
            assertThat(talk.command("RCPT TO:<carol@example.com>")).startsWith("452 4.5.3");
        }
    }

    @Test
    void aConnectionCarriesOnAfterARefusedMessage() throws Exception {
        install(BOB, TestPlugins.returning("69"));
        try (SmtpTalk talk = new SmtpTalk(start().listenAddress())) {
            talk.command("EHLO test.local");
            assertThat(talk.send(ALICE, BOB, simple("one"))).startsWith("554");
            assertThat(talk.send(ALICE, "carol@example.com", simple("two"))).as("no RSET needed").startsWith("250");
        }
        assertThat(reinjection.to("carol@example.com")).hasSize(1);
    }

    @Test
    void aMessageSentAgainAfterItWasDeliveredIsNotDeliveredTwiceEvenAfterARestart() throws Exception {
        byte[] message = simple("only once");
        assertThat(send(ALICE, BOB, message)).startsWith("250 2.0.0 Ok");
        daemon.stop();
        daemon = null; // a new daemon over the same store: the journal is read again

        assertThat(send(ALICE, BOB, message)).startsWith("250 2.0.0 Ok: already delivered at");
        assertThat(send(ALICE, "carol@example.com", message)).as("another recipient is another delivery")
                .startsWith("250 2.0.0 Ok: handled");
        assertThat(reinjection.received).hasSize(2);
        assertThat(log()).contains("duplicate=");
    }

    @Test
    void withReinjectPolicyADeliveryIsJournaledWhenTheServerAsksAtTheEndOfData() throws Exception {
        smtpd.put("reinject_policy", "127.0.0.1:0");
        install(BOB, Files.readAllBytes(TestPlugins.EXAMPLE));
        byte[] sent = mail("multipart-attachments.eml");
        String key = DeliveryJournal.key(ALICE, BOB, sent);
        start();
        reinjection.policy = daemon.policyAddress();
        java.util.List<Boolean> journaledAtTheAnswer = new java.util.concurrent.CopyOnWriteArrayList<>();
        reinjection.atEndOfData = () -> journaledAtTheAnswer.add(daemon.journal().deliveredAt(key) != null);

        assertThat(send(ALICE, BOB, sent)).startsWith("250 2.0.0 Ok");

        assertThat(reinjection.policyAnswers).as("the delivery and the reply").containsExactly("action=DUNNO", "action=DUNNO");
        assertThat(journaledAtTheAnswer).as("journaled before the server took it (then the reply)")
                .containsExactly(true, true);
        assertThat(daemon.journal().size()).as("the reply journals nothing").isEqualTo(1);
        assertThat(daemon.metrics().handedOverAtEndOfDataCount()).isEqualTo(1);
        assertThat(reinjection.to(ALICE)).hasSize(1);
    }

    @Test
    void withReinjectPolicyARefusalAfterTheAnswerTakesTheRecordBack() throws Exception {
        smtpd.put("reinject_policy", "127.0.0.1:0");
        start();
        reinjection.policy = daemon.policyAddress();
        byte[] message = simple("refused after the policy answer");
        reinjection.failWith = 451;
        assertThat(send(ALICE, BOB, message)).startsWith("451 4.3.0");
        assertThat(daemon.metrics().handedOverAtEndOfDataCount()).isEqualTo(1);

        reinjection.failWith = 0;
        assertThat(send(ALICE, BOB, message)).as("Postfix's retry is delivered").startsWith("250 2.0.0 Ok: handled");
        assertThat(reinjection.received).hasSize(1);
    }

    @Test
    void withReinjectPolicyNoAnswerAfterThePolicyAnswerIsNotDeliveredAgainOnTheRetry() throws Exception {
        smtpd.put("reinject_policy", "127.0.0.1:0");
        smtpd.put("reinject_timeout", "1s");
        start();
        reinjection.policy = daemon.policyAddress();
        reinjection.delayMillis = 2500; // the server commits after the daemon stopped waiting
        byte[] message = simple("committed after the daemon's timeout");

        assertThat(send(ALICE, BOB, message)).startsWith("451 ");
        waitFor(() -> reinjection.received.size() == 1);
        reinjection.delayMillis = 0;

        assertThat(send(ALICE, BOB, message)).as("Postfix's retry").startsWith("250 2.0.0 Ok: already delivered");
        assertThat(reinjection.received).hasSize(1);
    }

    @Test
    void withReinjectPolicyALateRequestForADeliveryGivenUpIsRefusedAndTheRetryDelivers() throws Exception {
        smtpd.put("reinject_policy", "127.0.0.1:0");
        smtpd.put("reinject_timeout", "1s");
        start();
        reinjection.policy = daemon.policyAddress();
        reinjection.policyDelayMillis = 2500; // the server asks after the daemon stopped waiting
        byte[] message = simple("asked about after the daemon's timeout");

        assertThat(send(ALICE, BOB, message)).startsWith("451 ");
        waitFor(() -> reinjection.policyAnswers.size() == 1);
        assertThat(reinjection.policyAnswers).containsExactly("action=" + HandOvers.GIVEN_UP);
        reinjection.policyDelayMillis = 0;

        assertThat(send(ALICE, BOB, message)).as("Postfix's retry").startsWith("250 2.0.0 Ok: handled");
        assertThat(reinjection.received).hasSize(1);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aPushARollbackAndARemovalCountFromTheNextMessage() throws Exception {
        install(BOB, TestPlugins.returning("69"));
        assertThat(send(ALICE, BOB, simple("1"))).startsWith("554");
        install(BOB, Files.readAllBytes(TestPlugins.EXAMPLE));
        assertThat(send(ALICE, BOB, simple("2"))).startsWith("250");
        install(BOB, TestPlugins.returning("69"));
        assertThat(send(ALICE, BOB, simple("3"))).startsWith("554");
        store.deactivate(BOB);
        assertThat(send(ALICE, BOB, simple("4"))).startsWith("250");
        assertThat(reinjection.received).hasSize(2);
        assertThat(log()).contains("plugin=none");
    }

    @Test
    void compiledPluginsAreBoundedByCachedPlugins() throws Exception {
        smtpd.put("cached_plugins", "2");
        byte[] plugin = TestPlugins.returning("0");
        for (String guest : new String[] {"a@example.com", "b@example.com", "c@example.com"}) {
            install(guest, plugin);
            assertThat(send(ALICE, guest, simple(guest))).startsWith("250");
        }
        assertThat(daemon.metricsText()).contains("hackable_smtpd_plugins_cached 2");
    }

    @Test
    void stoppingFinishesTheMessageInFlightAndRefusesNewSessionsWith421() throws Exception {
        reinjection.delayMillis = 1500;
        SmtpdConfig.HostPort at = start().listenAddress();
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return SmtpTalk.sendOne(at, ALICE, BOB, simple("in flight"));
            } catch (IOException e) {
                return e.toString();
            }
        });
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!daemon.metricsText().contains("hackable_smtpd_transactions 1") && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(daemon::stop);
        Thread.sleep(200);
        try (SmtpTalk late = new SmtpTalk(at)) {
            assertThat(late.greeting).startsWith("421 4.3.2");
        }
        assertThat(inFlight.get(10, TimeUnit.SECONDS)).startsWith("250");
        stopping.get(10, TimeUnit.SECONDS);
        assertThat(reinjection.received).hasSize(1);
        daemon = null;
    }

    @Test
    void theHealthEndpointSaysOkAndCountsMessages() throws Exception {
        smtpd.put("metrics", "127.0.0.1:0");
        send(ALICE, BOB, simple("counted"));
        var client = java.net.http.HttpClient.newHttpClient();
        String base = "http://" + daemon.healthAddress();
        var health = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        var metrics = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(metrics.body()).contains("hackable_smtpd_messages_total{result=\"accepted\"} 1",
                "hackable_smtpd_exit_total{exit=\"0\"} 1");
    }

    @Test
    void theHealthEndpointAnswersWhileAnotherClientStallsInItsRequest() throws Exception {
        smtpd.put("metrics", "127.0.0.1:0");
        start();
        SmtpdConfig.HostPort at = daemon.healthAddress();
        try (java.net.Socket stalled = new java.net.Socket(at.host(), at.port())) {
            stalled.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush(); // and never the blank line that ends the request
            Thread.sleep(200);
            var client = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
            var health = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + at + "/health"))
                    .timeout(java.time.Duration.ofSeconds(3)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aDaemonWithADamagedJournalStartsSaysSoAndKeepsTheGoodEntries() throws Exception {
        byte[] message = simple("delivered before the damage");
        String key = DeliveryJournal.key(ALICE, BOB, message);
        Files.write(store.root().resolve(SmtpdConfig.JOURNAL_FILE), ("1 x\u00ff\n" + System.currentTimeMillis() + " " + key + "\n")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(start().journalDamage()).contains("1 unreadable line(s) skipped (line 1), 1 entries kept");
        assertThat(send(ALICE, BOB, message)).startsWith("250 2.0.0 Ok: already delivered");
        assertThat(log()).contains("smtpd: journal ", "unreadable line(s)");
        assertThat(reinjection.received).isEmpty();
    }

    @Test
    void aPortInUseIsAClearErrorAndLeavesTheJournalFree() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            smtpd.put("listen", "127.0.0.1:" + taken.getLocalPort());
            org.assertj.core.api.Assertions.assertThatThrownBy(this::start)
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
        daemon = null;
        smtpd.put("listen", "127.0.0.1:0");
        assertThat(send(ALICE, BOB, simple("after a failed start"))).startsWith("250");
    }

    // ---- hostile SMTP input (issue 26, items 1-3) ----

    @Test
    void aBareCrInsideAHeaderIsRefusedWith5xxAndNeverBecomesAHeaderLine() throws Exception {
        byte[] smuggled = ("From: alice@example.org\r\nX-Note: one\rFrom: <ceo@example.com>\r\nSubject: hi\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] bareLf = ("From: alice@example.org\r\nX-Note: one\nFrom: <ceo@example.com>\r\nSubject: hi\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (SmtpTalk talk = new SmtpTalk(start().listenAddress())) {
            talk.command("EHLO test.local");
            assertThat(talk.send(ALICE, BOB, smuggled)).startsWith("550 5.5.2").contains("bare CR at byte 36");
            assertThat(talk.send(ALICE, BOB, bareLf)).startsWith("550 5.5.2").contains("bare LF at byte 36");
            assertThat(talk.send(ALICE, BOB, simple("clean"))).as("the session goes on").startsWith("250");
        }
        assertThat(reinjection.received).hasSize(1);
        assertThat(log()).contains("reason=\"bare CR at byte 36: refused\"");
    }

    @Test
    void aDeclaredSizeBeyondAnIntIsAnswered552AndTheSessionGoesOn() throws Exception {
        try (SmtpTalk talk = new SmtpTalk(start().listenAddress())) {
            talk.command("EHLO test.local");
            assertThat(talk.command("MAIL FROM:<alice@example.org> SIZE=99999999999")).startsWith("552 5.3.4");
            assertThat(talk.command("MAIL FROM:<alice@example.org> SIZE=99999999999999999999999999"))
                    .startsWith("552 5.3.4");
            assertThat(talk.command("MAIL FROM:<alice@example.org> SIZE=100")).startsWith("250");
            assertThat(talk.command("RCPT TO:<bob@example.com>")).startsWith("250");
        }
    }

    @Test
    void aBdatTransactionIsDeliveredWholeOnlyAfterItsLastChunk() throws Exception {
        byte[] message = simple("in chunks");
        int half = message.length / 2;
        try (SmtpTalk talk = new SmtpTalk(start().listenAddress())) {
            talk.command("EHLO test.local");
            talk.command("MAIL FROM:<alice@example.org>");
            talk.command("RCPT TO:<bob@example.com>");
            talk.write(("BDAT " + half + "\r\n").getBytes(StandardCharsets.US_ASCII));
            talk.write(java.util.Arrays.copyOfRange(message, 0, half));
            assertThat(talk.reply()).startsWith("250");
            assertThat(reinjection.received).isEmpty();
            talk.write(("BDAT " + (message.length - half) + " LAST\r\n").getBytes(StandardCharsets.US_ASCII));
            talk.write(java.util.Arrays.copyOfRange(message, half, message.length));
            assertThat(talk.reply()).startsWith("250 2.0.0 Ok");
        }
        assertThat(reinjection.received).singleElement().satisfies(r -> assertThat(r.bytes()).isEqualTo(message));
    }

    @Test
    void aCutBdatTransactionDeliversNothing() throws Exception {
        byte[] message = simple("cut in chunks");
        SmtpdConfig.HostPort at = start().listenAddress();
        // cut inside the LAST chunk
        try (SmtpTalk talk = new SmtpTalk(at)) {
            sendFirstChunkOf(talk, message);
            talk.write(("BDAT " + (message.length - 5) + " LAST\r\n").getBytes(StandardCharsets.US_ASCII));
            talk.write(java.util.Arrays.copyOfRange(message, 5, 30));
            talk.cut();
        }
        // cut between chunks, and inside a chunk that is not the last
        for (int sent : new int[] {0, 3}) {
            try (SmtpTalk talk = new SmtpTalk(at)) {
                sendFirstChunkOf(talk, message);
                if (sent > 0) {
                    talk.write(("BDAT 100\r\n").getBytes(StandardCharsets.US_ASCII));
                    talk.write(java.util.Arrays.copyOfRange(message, 5, 5 + sent));
                }
                talk.cut();
            }
        }
        waitFor(() -> daemon.metrics().sessions().get() == 0);
        Thread.sleep(300);
        assertThat(reinjection.received).isEmpty();
        assertThat(daemon.metrics().transactions().get()).isZero();
        assertThat(log()).contains("smtpd: the connection ended inside a BDAT chunk: ")
                .doesNotContainPattern("Exception|\\tat ");
    }

    /** Opens a transaction and sends its first five bytes in a BDAT chunk that is not the last. */
    private static void sendFirstChunkOf(SmtpTalk talk, byte[] message) throws IOException {
        talk.command("EHLO test.local");
        talk.command("MAIL FROM:<alice@example.org>");
        talk.command("RCPT TO:<bob@example.com>");
        talk.write(("BDAT 5\r\n").getBytes(StandardCharsets.US_ASCII));
        talk.write(java.util.Arrays.copyOfRange(message, 0, 5));
        assertThat(talk.reply()).startsWith("250");
    }

    @Test
    void messagesAreAdmittedByBytesInFlightNotOnlyBySessions() throws Exception {
        smtpd.put("max_bytes_in_flight", "2000");
        SmtpdConfig.HostPort at = start().listenAddress();
        try (SmtpTalk big = new SmtpTalk(at); SmtpTalk other = new SmtpTalk(at)) {
            big.command("EHLO test.local");
            other.command("EHLO test.local");
            assertThat(big.command("MAIL FROM:<alice@example.org> SIZE=1500")).startsWith("250");
            assertThat(other.command("MAIL FROM:<alice@example.org> SIZE=1000")).as("over the budget: later")
                    .startsWith("452 4.3.1 hackable-email:").contains("max_bytes_in_flight 2000");
            byte[] message = simple("x".repeat(900));
            assertThat(other.send(ALICE, BOB, message)).as("undeclared, found over the budget once read")
                    .startsWith("451 4.3.1");
            assertThat(big.command("RSET")).startsWith("250");
            assertThat(other.send(ALICE, BOB, message)).as("room again").startsWith("250");
            waitFor(() -> daemon.bytesInFlight().held() == 0); // released as the transaction ends
            assertThat(big.command("MAIL FROM:<alice@example.org> SIZE=50000")).as("one message alone always fits")
                    .startsWith("250");
        }
        waitFor(() -> daemon.bytesInFlight().held() == 0);
        assertThat(reinjection.received).hasSize(1);
    }

    // ---- a daemon that cannot serve any more (issue 26, item 7) ----

    /** Ends a thread with an Error thrown into it, as an OutOfMemoryError would (Java 17's Thread.stop). */
    @SuppressWarnings({"deprecation", "removal"})
    static void kill(Thread t, SmtpdConfig.HostPort wake) throws Exception {
        try {
            t.stop();
        } catch (UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("this JDK cannot end a thread from outside (Java 20+)");
        }
        // a thread blocked in accept() meets the error when a connection comes
        try (java.net.Socket s = new java.net.Socket(wake.host(), wake.port())) {
            t.join(5_000);
        }
        assertThat(t.isAlive()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"the SMTP server's accepting thread", "the health endpoint's HTTP dispatcher"})
    void aDaemonWhoseVitalThreadDiedAsksToBeStartedAgain(String which) throws Exception {
        smtpd.put("metrics", "127.0.0.1:0");
        start();
        CompletableFuture<String> broken = new CompletableFuture<>();
        daemon.onBroken(broken::complete);
        assertThat(daemon.vitalThreads()).containsOnlyKeys("the SMTP server's accepting thread",
                "the health endpoint's HTTP dispatcher");

        kill(daemon.vitalThreads().get(which), which.contains("SMTP") ? daemon.listenAddress() : daemon.healthAddress());

        assertThat(broken.get(5, TimeUnit.SECONDS)).isEqualTo(which + " died");
        assertThat(log()).contains("smtpd: cannot serve any more: " + which + " died; exiting so that the service"
                + " manager starts the daemon again");
    }

    @Test
    void aDaemonStoppedOnPurposeIsNotBroken() throws Exception {
        smtpd.put("metrics", "127.0.0.1:0");
        start();
        CompletableFuture<String> broken = new CompletableFuture<>();
        daemon.onBroken(broken::complete);
        daemon.stop();
        Thread.sleep(1_200);
        assertThat(broken).isNotDone();
        daemon = null;
    }

    // ---- a stalled store (issue 26, items 8 and 10) ----

    /** A PostgreSQL store for the daemon, its tables made; returns its location. */
    String postgresStore(String storeTimeout) throws Exception {
        String url = dev.hackablemail.store.PostgresCluster.shared().newDatabase();
        settings.put("store", url);
        settings.put("cache", tmp.resolve("cache").toString());
        settings.put("store_timeout", storeTimeout);
        try (dev.hackablemail.store.GuestStore pg = dev.hackablemail.store.StoreSetting.read(settings).open(false)) {
            pg.activePlugin(BOB);
        }
        return url;
    }

    /** Another connection holding the guests' table locked until closed. */
    static java.sql.Connection lockGuests(String url) throws Exception {
        java.sql.Connection c = dev.hackablemail.store.PostgresCluster.shared().connect(url);
        c.setAutoCommit(false);
        c.createStatement().execute("LOCK TABLE hackable_guests IN ACCESS EXCLUSIVE MODE");
        return c;
    }

    @Test
    void aStalledStoreIsAnswered451WithinStoreTimeout() throws Exception {
        String url = postgresStore("1s");
        SmtpdConfig.HostPort at = start().listenAddress();
        try (java.sql.Connection lock = lockGuests(url); SmtpTalk talk = new SmtpTalk(at).timeout(6_000)) {
            talk.command("EHLO test.local");
            long begin = System.nanoTime();
            assertThat(talk.send(ALICE, BOB, simple("stalled"))).startsWith("451 4.3.0 hackable-email: the plugin store is not readable")
                    .contains("statement timeout");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).as("client timeout 6 s").isLessThan(4_000);
        }
        assertThat(reinjection.received).isEmpty();
    }

    @Test
    void retriesWhileTheFirstAttemptStallsAreNotDeliveredAgain() throws Exception {
        String url = postgresStore("60s"); // longer than the client waits
        SmtpdConfig.HostPort at = start().listenAddress();
        byte[] message = simple("sent while the store stalls");
        try (java.sql.Connection lock = lockGuests(url)) {
            try (SmtpTalk first = new SmtpTalk(at).timeout(1_500)) {
                first.command("EHLO test.local");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> first.send(ALICE, BOB, message))
                        .as("the client gives up").isInstanceOf(java.net.SocketTimeoutException.class);
            }
            try (SmtpTalk retry = new SmtpTalk(at).timeout(5_000)) {
                retry.command("EHLO test.local");
                assertThat(retry.send(ALICE, BOB, message)).as("Postfix's retry while the first attempt runs")
                        .startsWith("451 4.3.0 hackable-email: the same message is being handled on another connection");
            }
            lock.rollback();
        }
        waitFor(() -> reinjection.received.size() == 1);
        assertThat(send(ALICE, BOB, message)).as("the next retry").startsWith("250 2.0.0 Ok: already delivered");
        Thread.sleep(300);
        assertThat(reinjection.received).hasSize(1);
    }

    @Test
    void stoppingDuringAStoreStallEndsWithinShutdownTimeoutAndHandsNothingOn() throws Exception {
        String url = postgresStore("60s");
        smtpd.put("shutdown_timeout", "1s");
        SmtpdConfig.HostPort at = start().listenAddress();
        try (java.sql.Connection lock = lockGuests(url)) {
            CompletableFuture<String> stalled = CompletableFuture.supplyAsync(() -> {
                try {
                    return SmtpTalk.sendOne(at, ALICE, BOB, simple("stalled at shutdown"));
                } catch (IOException e) {
                    return "(connection closed)";
                }
            });
            waitFor(() -> daemon.metrics().transactions().get() == 1);
            long begin = System.nanoTime();
            daemon.stop();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin))
                    .as("shutdown_timeout 1 s and a moment to close the sessions").isLessThan(3_500);
            assertThat(stalled.get(10, TimeUnit.SECONDS)).as("not answered: Postfix retries").isEqualTo("(connection closed)");
            lock.rollback();
        }
        Thread.sleep(1_000); // the stalled thread goes on once the lock is gone
        assertThat(reinjection.received).as("nothing handed on after the stop").isEmpty();
        assertThat(log()).contains("session(s) still stalled");
        daemon = null;
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.runner.guest.InitializationTest;
import dev.hackablemail.runner.guest.WasmMutants;
import dev.hackablemail.store.Digests;
import dev.hackablemail.store.GuestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter's rules, end to end in process: real sample mails, the real example plugin and
 * misbehaving WAT plugins, and a recording sendmail script.
 */
class FilterTest extends InProcessFilterTest {

    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));

    Outcome run(String sender, String recipient, byte[] message) {
        FilterConfig config = FilterConfig.fromMap(settings, "test");
        Filter filter = new Filter(config, new SendmailCommand(config.sendmail(), config::sendmailTimeout), clock);
        Outcome outcome = filter.process(sender, recipient, message);
        assertThat(outcome.log()).doesNotContain("\n");
        return outcome;
    }

    Outcome run(byte[] message) {
        return run(ALICE, BOB, message);
    }

    void install(String recipient, byte[] wasm) throws IOException {
        store.push(recipient, wasm, Instant.now(), "admin", List.of(), 20);
    }

    void installExample(String recipient) throws IOException {
        install(recipient, Files.readAllBytes(TestPlugins.EXAMPLE));
    }

    static List<String> deliveryArgs(String sender, String recipient) {
        return List.of("-G", "-i", "-f", sender, "--", recipient);
    }

    // ------------------------------------------------------------------ without a plugin

    @Test
    void withoutAPluginTheMailIsDeliveredUnchanged() {
        byte[] mail = Mails.bytes("multipart-attachments.eml");
        Outcome outcome = run(mail);
        assertThat(outcome.exitCode()).isEqualTo(0);
        assertThat(outcome.reason()).isNull();
        assertThat(sendmail.calls()).hasSize(1);
        assertThat(sendmail.calls().get(0).args()).isEqualTo(deliveryArgs(ALICE, BOB));
        assertThat(sendmail.calls().get(0).stdin()).isEqualTo(mail);
        assertThat(outcome.log()).contains("plugin=none", "exit=0");
    }

    @Test
    void aLongValidRecipientHasAPluginLikeAnyOther() throws IOException {
        String recipient = "l".repeat(64) + "@" + "d".repeat(55) + ".eeeeeeee.example"; // 137 characters, RFC-valid
        install(recipient, TestPlugins.returning("67"));
        Outcome outcome = run(ALICE, recipient, Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).as(outcome.log()).isEqualTo(67);
    }

    @Test
    void theNullSenderIsPassedOnAsAnEmptyArgument() {
        run("", BOB, Mails.bytes("plain.eml"));
        assertThat(sendmail.calls().get(0).args()).isEqualTo(deliveryArgs("", BOB));
    }

    @Test
    void theGuestKeyIsTheHexOfTheLowerCasedAddress() throws IOException {
        assertThat(GuestKeys.of("Bob@Example.COM")).isEqualTo("626f62406578616d706c652e636f6d");
        install("BOB@example.com", TestPlugins.returning("67"));
        assertThat(run(ALICE, "bob@EXAMPLE.com", Mails.bytes("plain.eml")).exitCode()).isEqualTo(67);
    }

    // ------------------------------------------------------------------ the example plugin

    @ParameterizedTest
    @ValueSource(strings = {"plain.eml", "multipart-attachments.eml", "eightbit-latin1.eml", "base64-utf8.eml",
        "quoted-printable.eml", "crlf-repeated.eml", "broken-mime.eml", "garbage.eml"})
    void theExamplePluginDeliversTheOriginalBytes(String sample) throws IOException {
        installExample(BOB);
        byte[] mail = Mails.bytes(sample);
        Outcome outcome = run(mail);
        assertThat(outcome.exitCode()).as(outcome.log()).isEqualTo(0);
        assertThat(sendmail.calls().get(0).args()).isEqualTo(deliveryArgs(ALICE, BOB));
        assertThat(sendmail.calls().get(0).stdin()).isEqualTo(mail);
    }

    @Test
    void aLowerCaseSubjectLineReachesThePluginAsSubject() throws IOException {
        // exact-subject.wasm reads headers["Subject"], spelled exactly so, and replies to Project XYZ.
        install(BOB, Files.readAllBytes(TestPlugins.EXACT_SUBJECT));
        byte[] mail = Mails.utf8("From: <" + ALICE + ">\nTo: <" + BOB + ">\nsubject: About Project XYZ\n\nhi\n");
        Outcome outcome = run(mail);
        assertThat(outcome.exitCode()).as(outcome.log()).isZero();
        assertThat(sendmail.calls()).hasSize(2);
        assertThat(sendmail.calls().get(0).stdin()).isEqualTo(mail);
        assertThat(MailMessage.parse(sendmail.calls().get(1).stdin()).header("Subject"))
                .isEqualTo("RE: About Project XYZ");
    }

    @Test
    void projectXyzGetsTheExamplePluginsReply() throws IOException {
        installExample(BOB);
        Outcome outcome = run(Mails.bytes("project-xyz.eml"));
        assertThat(outcome.exitCode()).isEqualTo(0);
        List<RecordingSendmail.Call> calls = sendmail.calls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).args()).containsExactly("-i", "-f", "", "--", ALICE);
        MailMessage reply = MailMessage.parse(calls.get(1).stdin());
        assertThat(reply.header("From")).isEqualTo("<" + BOB + ">");
        assertThat(reply.header("To")).isEqualTo("<" + ALICE + ">");
        assertThat(reply.header("Subject")).isEqualTo("RE: Status of Project XYZ");
        assertThat(reply.header("In-Reply-To")).isEqualTo("<9d2e3b8f-6e1c-4a51-9d3c-0f6e2b7a1c44@example.org>");
        assertThat(reply.header("References")).isEqualTo("<9d2e3b8f-6e1c-4a51-9d3c-0f6e2b7a1c44@example.org>");
        assertThat(reply.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(reply.header("Precedence")).isEqualTo("bulk");
        assertThat(reply.header("X-Auto-Response-Suppress")).isEqualTo("All");
        assertThat(reply.header("Date")).isEqualTo("Tue, 24 Nov 2026 10:00:00 +0000");
        assertThat(reply.header("Message-ID")).matches("<[0-9a-z]+\\.[0-9a-f]{16}@example\\.com>");
        assertThat(reply.body()).contains("Project XYZ is forbidden");
        assertThat(outcome.log()).contains("deliver=0", "reply=0");
    }

    @Test
    void eachDecisionOfAPluginGoesToTheGuestsRecentMail() throws IOException {
        installExample(BOB);
        run(Mails.bytes("project-xyz.eml"));
        run(Mails.bytes("project-xyz.eml")); // the second reply to one sender within reply_period is suppressed
        install("carol@example.com", TestPlugins.returning("67"));
        run(ALICE, "carol@example.com", Mails.bytes("plain.eml"));
        run(ALICE, "dave@example.com", Mails.bytes("plain.eml")); // no plugin: nothing decided, nothing kept

        List<dev.hackablemail.store.GuestStore.MailRecord> bob = store.recentMail(BOB, 0, 10);
        assertThat(bob).extracting(dev.hackablemail.store.GuestStore.MailRecord::outcome)
                .containsExactly("delivered, reply suppressed", "delivered, replied");
        assertThat(bob.get(0).detail()).startsWith("already sent to " + ALICE);
        assertThat(bob.get(1).subject()).isEqualTo("Status of Project XYZ");
        assertThat(bob.get(1).sender()).isEqualTo(ALICE);
        assertThat(bob.get(1).code()).isZero();
        assertThat(bob.get(1).plugin()).hasSize(12);
        assertThat(bob.get(1).pluginMicros()).isPositive();
        assertThat(bob.get(1).time()).isEqualTo(clock.instant());

        List<dev.hackablemail.store.GuestStore.MailRecord> carol = store.recentMail("carol@example.com", 0, 10);
        assertThat(carol).singleElement().satisfies(m -> {
            assertThat(m.outcome()).isEqualTo("bounced");
            assertThat(m.code()).isEqualTo(67);
            assertThat(m.detail()).contains("code 67");
        });
        assertThat(store.recentMail("dave@example.com", 0, 10)).isEmpty();
    }

    @Test
    void aSenderGetsOneReplyPerPeriod() throws IOException {
        settings.put("reply_period", "1d");
        installExample(BOB);
        byte[] mail = Mails.bytes("project-xyz.eml");
        assertThat(run(mail).exitCode()).isEqualTo(0);
        Outcome second = run(mail);
        assertThat(second.exitCode()).isEqualTo(0);
        assertThat(second.log()).contains("reply=suppressed(already sent to " + ALICE);
        assertThat(run("carol@example.org", BOB, mail).log()).contains("reply=0");
        clock.advance(Duration.ofHours(25));
        assertThat(run(mail).log()).contains("reply=0");
        long replies = sendmail.calls().stream().filter(c -> c.args().get(0).equals("-i")).count();
        assertThat(replies).isEqualTo(3);
        assertThat(sendmail.calls()).hasSize(7); // four deliveries, three replies
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Auto-Submitted: auto-replied", "Auto-Submitted: auto-generated", "Precedence: bulk", "Precedence: list",
        "Precedence: junk", "List-Id: <xyz.lists.example.org>", "List-Unsubscribe: <mailto:x@example.org>",
        "X-Auto-Response-Suppress: OOF"})
    void noReplyToMailThatMustNotBeAnswered(String header) throws IOException {
        installExample(BOB);
        byte[] mail = (header + "\n" + new String(Mails.bytes("project-xyz.eml"), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        Outcome outcome = run(mail);
        assertThat(outcome.exitCode()).isEqualTo(0);
        assertThat(sendmail.calls()).hasSize(1);
        assertThat(outcome.log()).contains("reply=suppressed(");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MAILER-DAEMON@example.org", "owner-xyz@lists.example.org",
        "xyz-request@lists.example.org", "xyz-request-x@lists.example.org", "LISTSERV@lists.example.org",
        "postmaster@example.org", "no-reply@example.org", BOB})
    void noReplyToProgramsListsBouncesOrOneself(String sender) throws IOException {
        installExample(BOB);
        Outcome outcome = run(sender, BOB, Mails.bytes("project-xyz.eml"));
        assertThat(outcome.exitCode()).isEqualTo(0);
        assertThat(sendmail.calls()).hasSize(1);
        assertThat(outcome.log()).contains("reply=suppressed(");
    }

    @ParameterizedTest
    @ValueSource(strings = {"To: team@example.com", "To: \"bob@example.com\" <team@example.com>",
        "To: bobby@example.com\nCc: list@example.com"})
    void noReplyToMailThatDoesNotNameTheRecipient(String to) throws IOException {
        installExample(BOB);
        byte[] mail = new String(Mails.bytes("project-xyz.eml"), StandardCharsets.UTF_8)
                .replace("To: Bob Example <bob@example.com>", to).getBytes(StandardCharsets.UTF_8);
        Outcome outcome = run(mail);
        assertThat(outcome.exitCode()).as("reply returned 0 to the plugin").isEqualTo(0);
        assertThat(sendmail.calls()).as("delivered, not answered").hasSize(1);
        assertThat(outcome.log()).contains("reply=suppressed(the mail does not name the recipient in To, Cc, Bcc");
    }

    @Test
    void aMailNamingTheRecipientInResentToIsAnswered() throws IOException {
        installExample(BOB);
        byte[] mail = new String(Mails.bytes("project-xyz.eml"), StandardCharsets.UTF_8)
                .replace("To: Bob Example <bob@example.com>", "To: team@example.com\nResent-To: <BOB@example.com>")
                .getBytes(StandardCharsets.UTF_8);
        Outcome outcome = run(mail);
        assertThat(outcome.log()).contains("reply=0");
        assertThat(sendmail.calls()).hasSize(2);
    }

    @Test
    void autoSubmittedNoMayBeAnswered() throws IOException {
        installExample(BOB);
        byte[] mail = ("Auto-Submitted: no\n" + new String(Mails.bytes("project-xyz.eml"), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(run(mail).log()).contains("reply=0");
    }

    // ------------------------------------------------------------------ return codes

    @ParameterizedTest
    @ValueSource(ints = {64, 65, 67, 69, 75, 77, 78})
    void aSysexitsCodeIsPassedOn(int code) throws IOException {
        install(BOB, TestPlugins.returning(Integer.toString(code)));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(code);
        assertThat(outcome.reason()).startsWith("hackable-email: ").contains("code " + code);
        assertThat(sendmail.calls()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 63, 79, 100, 256, 512, -1, 2147483647})
    void anyOtherNonZeroCodeBecomesUnavailable(int code) throws IOException {
        install(BOB, TestPlugins.returning(Integer.toString(code)));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.UNAVAILABLE);
        assertThat(outcome.reason()).contains("code " + code + ", passed on as 69");
    }

    /**
     * A long-lived filter (the daemon's) keeps what it read of an unchanged plugin, and a
     * push, a rollback or a removal still takes effect on the next mail, even with a plugin
     * of the same size and file time.
     */
    @Test
    void aPushRollbackOrRemovalTakesEffectOnTheNextMailOfALongLivedFilter() throws IOException {
        FilterConfig config = FilterConfig.fromMap(settings, "test");
        Path file = store.root().resolve(GuestKeys.of(BOB)).resolve("plugin.wasm");
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        byte[] first = TestPlugins.returning("65");
        byte[] second = TestPlugins.returning("67");
        assertThat(second).hasSameSizeAs(first);
        try (Filter filter = new Filter(config, new SendmailCommand(config.sendmail(), config::sendmailTimeout), clock)) {
            install(BOB, first);
            Files.setLastModifiedTime(file, old);
            assertThat(filter.process(ALICE, BOB, Mails.bytes("plain.eml")).exitCode()).isEqualTo(65);
            assertThat(filter.process(ALICE, BOB, Mails.bytes("plain.eml")).exitCode()).isEqualTo(65);

            install(BOB, second);
            Files.setLastModifiedTime(file, old);
            assertThat(filter.process(ALICE, BOB, Mails.bytes("plain.eml")).exitCode()).isEqualTo(67);

            assertThat(store.activate(BOB, 1, Digests.sha256Hex(first))).isTrue();
            Files.setLastModifiedTime(file, old);
            assertThat(filter.process(ALICE, BOB, Mails.bytes("plain.eml")).exitCode()).isEqualTo(65);

            store.deactivate(BOB);
            Outcome none = filter.process(ALICE, BOB, Mails.bytes("plain.eml"));
            assertThat(none.exitCode()).isEqualTo(SysExits.OK);
            assertThat(none.log()).contains("plugin=none");
        }
    }

    @Test
    void zeroWithoutDeliveringDropsTheMail() throws IOException {
        install(BOB, TestPlugins.returning("0"));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(0);
        assertThat(sendmail.calls()).isEmpty();
        assertThat(outcome.log()).contains("dropped");
    }

    // ------------------------------------------------------------------ bad plugins

    @ParameterizedTest
    @ValueSource(strings = {"not wasm at all", "\0asm\u0001\0\0\0\u00ff\u00ff garbage", ""})
    void aMalformedModuleBounces(String content) throws IOException {
        install(BOB, content.getBytes(StandardCharsets.ISO_8859_1));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains(BOB + "'s plugin").doesNotContain(store.root().toString());
        assertThat(sendmail.calls()).isEmpty();
    }

    @Test
    void modulesThatCrashChicorysParserBounceAsNotValidModules() throws IOException {
        List<byte[]> crashing = WasmMutants.crashing(WasmMutants.ofExamplePlugin(Path.of("..")));
        assertThat(crashing).isNotEmpty();
        for (byte[] mutant : crashing) {
            install(BOB, mutant);
            Outcome outcome = run(Mails.bytes("plain.eml"));
            assertThat(outcome.exitCode()).as(outcome.log()).isEqualTo(SysExits.SOFTWARE);
            assertThat(outcome.reason()).contains(BOB + "'s plugin: not a valid Wasm module: ")
                    .doesNotContain("internal error");
        }
        assertThat(sendmail.calls()).isEmpty();
    }

    @Test
    void aPluginWhoseStartFunctionNeverReturnsIsStoppedAndBounces() throws IOException {
        settings.put("plugin_timeout", "300ms");
        install(BOB, com.dylibso.chicory.wabt.Wat2Wasm.parse(InitializationTest.LOOPING_START));
        long start = System.nanoTime();
        FilterConfig config = FilterConfig.fromMap(settings, "test");
        Filter filter = new Filter(config, new SendmailCommand(config.sendmail(), config::sendmailTimeout), clock);
        filter.preload(BOB); // as the filter command does: the failure is met once, not twice
        Outcome outcome = filter.process(ALICE, BOB, Mails.bytes("plain.eml"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains(BOB + "'s plugin: did not finish initializing within 300 ms");
        assertThat(sendmail.calls()).isEmpty();
    }

    @Test
    void aPluginThatLoopsForeverIsStoppedAndBounces() throws IOException {
        settings.put("plugin_timeout", "300ms");
        install(BOB, TestPlugins.spinForever());
        long start = System.nanoTime();
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("did not finish within 300 ms");
    }

    @Test
    void aPluginThatExhaustsItsMemoryBounces() throws IOException {
        settings.put("plugin_memory", "4MiB");
        install(BOB, TestPlugins.exhaustMemory());
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("ran out of memory");
    }

    @Test
    void anOutputOverTheLimitBounces() throws IOException {
        settings.put("plugin_output", "16");
        install(BOB, TestPlugins.returning("0".repeat(17)));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("17 bytes of output, more than the limit of 16");
    }

    @Test
    void kernelAllocationsOverTheLimitBounce() throws IOException {
        settings.put("plugin_kernel_memory", "256");
        install(BOB, TestPlugins.deliverInput()); // copies its input (the mail as JSON, ~1 KB) into a kernel block
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).as(outcome.log()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("over the limit of 256 bytes");
        assertThat(sendmail.calls()).isEmpty();
    }

    @Test
    void theInterpreterRunsTheSamePlugin() throws IOException {
        settings.put("execution", "interpreter");
        installExample(BOB);
        Outcome outcome = run(Mails.bytes("project-xyz.eml"));
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.log()).contains("deliver=0", "reply=0");
    }

    @Test
    void aPluginThatTrapsBounces() throws IOException {
        install(BOB, TestPlugins.trap());
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("trapped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a number", "", "1.5", "\"0\"", "0 0", "{\"code\":0}", "99999999999"})
    void outputThatIsNotAJsonIntegerBounces(String output) throws IOException {
        install(BOB, TestPlugins.returning(output));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("not a JSON integer");
    }

    @Test
    void aSecondDeliverFailsThePluginButTheMailWasDeliveredOnce() throws IOException {
        install(BOB, TestPlugins.deliverTwice());
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(0);
        assertThat(sendmail.calls()).hasSize(1);
        assertThat(outcome.log()).contains("deliver was called a second time");
    }

    @Test
    void aPluginThatTrapsAfterDeliveringExitsZero() throws IOException {
        install(BOB, TestPlugins.deliverThenTrap());
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(0);
        assertThat(sendmail.calls()).hasSize(1);
        assertThat(outcome.log()).contains("the plugin failed after delivering");
    }

    @Test
    void aPluginThatTimesOutAfterDeliveringExitsZero() throws IOException {
        settings.put("plugin_timeout", "300ms");
        install(BOB, TestPlugins.deliverThenSpin());
        assertThat(run(Mails.bytes("plain.eml")).exitCode()).isEqualTo(0);
        assertThat(sendmail.calls()).hasSize(1);
    }

    @Test
    void aSecondReplyBreaksTheContract() throws IOException {
        install(BOB, TestPlugins.replyTwice("{\"subject\":\"hi\",\"body\":\"x\"}"));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("reply was called a second time");
        assertThat(sendmail.calls()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"sender\":\"a\"}", "[1,2]",
        "{\"sender\":\"alice@example.org\",\"receiver\":\"bob@example.com\",\"headers\":{\"X\":1},\"body\":\"\"}"})
    void anInvalidDeliverPayloadBreaksTheContract(String json) throws IOException {
        install(BOB, TestPlugins.deliverJson(json));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("called deliver with an invalid payload");
        assertThat(sendmail.calls()).isEmpty();
    }

    // ------------------------------------------------------------------ deliver with changes

    @Test
    void headerChangesAreAppliedToTheOriginalMessage() throws IOException {
        install(BOB, TestPlugins.deliverJson("{\"sender\":\"alice@example.org\",\"receiver\":\"bob@example.com\","
                + "\"headers\":{\"Subject\":\"[tagged] Quarterly report – Project XYZ\",\"X-Plugin\":\"seen\","
                + "\"From\":\"J\u00fcrgen M\u00fcller <juergen@example.org>\",\"To\":\"bob@example.com\","
                + "\"Message-ID\":\"<multi-1@example.org>\",\"Date\":\"Tue, 24 Nov 2026 09:59:57 +0100\","
                + "\"MIME-Version\":\"1.0\",\"Content-Type\":\"multipart/mixed; boundary=\\\"==outer==\\\"\"},"
                + "\"body\":\"" + jsonEscape(Mails.parse("multipart-attachments.eml").body()) + "\"}"));
        byte[] original = Mails.bytes("multipart-attachments.eml");
        Outcome outcome = run(original);
        assertThat(outcome.exitCode()).as(outcome.log()).isEqualTo(0);
        byte[] delivered = sendmail.calls().get(0).stdin();
        MailMessage m = MailMessage.parse(delivered);
        assertThat(m.header("Subject")).isEqualTo("[tagged] Quarterly report – Project XYZ");
        assertThat(m.header("X-Plugin")).isEqualTo("seen");
        assertThat(m.header("Received")).isNull(); // removed: the plugin left it out
        assertThat(Mails.bodyOf(delivered)).isEqualTo(Mails.bodyOf(original));
        assertThat(outcome.log()).contains("deliver=0(edited)");
    }

    @Test
    void aChangedBodyOfAMultipartIsRefusedWithDataErr() throws IOException {
        MailMessage original = Mails.parse("multipart-attachments.eml");
        StringBuilder headers = new StringBuilder();
        original.headers().forEach((k, v) -> headers.append(headers.length() == 0 ? "" : ",")
                .append('"').append(jsonEscape(k)).append("\":\"").append(jsonEscape(v)).append('"'));
        install(BOB, TestPlugins.deliverJson("{\"sender\":\"alice@example.org\",\"receiver\":\"bob@example.com\","
                + "\"headers\":{" + headers + "},\"body\":\"a new body\"}"));
        Outcome outcome = run(Mails.bytes("multipart-attachments.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.DATAERR);
        assertThat(sendmail.calls()).isEmpty();
        assertThat(outcome.log()).contains("deliver=refused(the body of a multipart/mixed message cannot be changed");
    }

    @Test
    void aRefusedDeliveryThatThePluginReportsAsHandledBouncesInsteadOfVanishing() throws IOException {
        install(BOB, TestPlugins.deliverJsonIgnoringTheResult("{\"sender\":\"alice@example.org\","
                + "\"receiver\":\"mallory@evil.example\",\"headers\":{},\"body\":\"\"}"));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(sendmail.calls()).isEmpty();
        assertThat(outcome.log()).contains("could not be applied").contains("returned 0 anyway");
    }

    @Test
    void thePluginCannotRedirectTheMail() throws IOException {
        install(BOB, TestPlugins.deliverJson("{\"sender\":\"alice@example.org\",\"receiver\":\"mallory@evil.example\","
                + "\"headers\":{},\"body\":\"\"}"));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.DATAERR);
        assertThat(sendmail.calls()).isEmpty();
    }

    // ------------------------------------------------------------------ replies from plugins

    @Test
    void aReplySubjectCannotInjectHeaders() throws IOException {
        install(BOB, TestPlugins.replyJson(
                "{\"subject\":\"hi\\r\\nBcc: victim@example.net\\r\\n\\r\\nbody\",\"body\":\"text\"}"));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(0); // reply's 0; the mail itself was not delivered: dropped
        String reply = sendmail.calls().get(0).text();
        assertThat(reply).doesNotContain("\nBcc:");
        assertThat(MailMessage.parse(sendmail.calls().get(0).stdin()).header("Subject"))
                .isEqualTo("hi Bcc: victim@example.net body");
        assertThat(MailMessage.parse(sendmail.calls().get(0).stdin()).header("Bcc")).isNull();
    }

    @Test
    void anOverlongReplySubjectIsRefused() throws IOException {
        install(BOB, TestPlugins.replyJson("{\"subject\":\"" + "x".repeat(2000) + "\",\"body\":\"text\"}"));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.DATAERR);
        assertThat(sendmail.calls()).isEmpty();
        assertThat(outcome.log()).contains("reply=refused(the subject is 2000 characters long");
    }

    // ------------------------------------------------------------------ failures of ours

    @Test
    void aFailingSendmailDefersTheMail() throws IOException {
        installExample(BOB);
        sendmail.exitWith(75);
        Outcome outcome = run(Mails.bytes("project-xyz.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.TEMPFAIL);
        assertThat(outcome.reason()).contains("delivery failed", "exited with 75", "simulated failure");
        assertThat(sendmail.calls()).hasSize(1); // the example plugin does not reply after a failed delivery
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 67, 69, 70, 71, 78})
    void anySendmailFailureDefersRatherThanBounces(int code) throws IOException {
        installExample(BOB);
        sendmail.exitWith(code);
        assertThat(run(Mails.bytes("plain.eml")).exitCode()).isEqualTo(SysExits.TEMPFAIL);
    }

    @Test
    void aFailingSendmailWithoutAPluginDefersTheMail() {
        sendmail.exitWith(1);
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.TEMPFAIL);
        assertThat(outcome.reason()).contains("exited with 1");
    }

    @Test
    void aMissingSendmailDefersTheMail() throws IOException {
        settings.put("sendmail", tmp.resolve("no-such-sendmail").toString());
        installExample(BOB);
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.TEMPFAIL);
        assertThat(outcome.reason()).contains("cannot run");
    }

    @Test
    void aSlowSendmailIsKilledAndTheMailDeferred() throws IOException {
        settings.put("sendmail_timeout", "1s");
        sendmail.sleepFirst(30);
        long start = System.nanoTime();
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.TEMPFAIL);
        assertThat(outcome.reason()).contains("did not finish within 1 s");
    }

    @Test
    void aFailedReplyAfterADeliveryStillExitsZero() throws IOException {
        // The mail is in the mailbox: retrying it would deliver it twice. The reply is lost (logged).
        install(BOB, TestPlugins.deliverThenReply("{\"subject\":\"thanks\",\"body\":\"got it\"}"));
        Files.writeString(tmp.resolve("sendmail/exit-code"), "0\n");
        Path wrapper = tmp.resolve("fail-second");
        Files.writeString(wrapper, "#!/bin/sh\nif [ -f '" + tmp + "/once' ]; then cat >/dev/null; exit 75; fi\n"
                + "touch '" + tmp + "/once'\nexec '" + sendmail.command() + "' \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        settings.put("sendmail", wrapper.toString());
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(0);
        assertThat(outcome.log()).contains("deliver=0", "reply=75");
    }

    @Test
    void aMissingStoreDefersTheMail() {
        settings.put("store", tmp.resolve("no-such-store").toString());
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.TEMPFAIL);
        assertThat(outcome.reason()).contains("plugin store is not readable");
        assertThat(sendmail.calls()).isEmpty();
    }

    @Test
    void anUnreadablePluginDefersTheMail() throws IOException {
        Files.createDirectories(store.root().resolve(GuestKeys.of(BOB)).resolve("plugin.wasm")); // a folder, not a file
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.TEMPFAIL);
        assertThat(outcome.reason()).doesNotContainPattern("java\\.|Exception");
        assertThat(sendmail.calls()).isEmpty();
    }

    @Test
    void anInternalErrorIsSaidWithoutAJavaClassName() {
        assertThat(Filter.ourFailure(new IllegalStateException("the cache is closed")))
                .isEqualTo("internal error: the cache is closed");
        assertThat(Filter.ourFailure(new NullPointerException())).isEqualTo("internal error: an error with no details");
        assertThat(Filter.ourFailure(new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/x"))))
                .isEqualTo("internal error: /x: no such file");
    }

    @Test
    void aDeliveredStringLongerThanTheLargestMailBreaksTheContract() throws IOException {
        settings.put("max_message_size", "2000");
        install(BOB, TestPlugins.deliverJson("{\"sender\":\"alice@example.org\",\"receiver\":\"bob@example.com\","
                + "\"headers\":{},\"body\":\"" + "x".repeat(2001) + "\"}"));
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("called deliver with a string longer than max_message_size (2000 characters)");
        assertThat(sendmail.calls()).isEmpty();
    }

    @Test
    void thePluginIsReadFromTheStoreOncePerMessageWithOrWithoutPreload() throws IOException {
        installExample(BOB);
        int[] reads = new int[1];
        dev.hackablemail.store.GuestStore counting = (dev.hackablemail.store.GuestStore) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {dev.hackablemail.store.GuestStore.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("activePlugin")) {
                                reads[0]++;
                            }
                            try {
                                return method.invoke(store, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        FilterConfig config = FilterConfig.fromMap(settings, "test");
        Filter filter = new Filter(config, counting, new SendmailCommand(config.sendmail(), config::sendmailTimeout),
                clock);

        filter.preload(BOB);
        Outcome preloaded = filter.process(ALICE, BOB, Mails.bytes("plain.eml"));
        assertThat(preloaded.exitCode()).as(preloaded.log()).isEqualTo(SysExits.OK);
        assertThat(reads[0]).isEqualTo(1);

        Outcome plain = filter.process(ALICE, BOB, Mails.bytes("plain.eml"));
        assertThat(plain.exitCode()).as(plain.log()).isEqualTo(SysExits.OK);
        assertThat(reads[0]).isEqualTo(2);
        assertThat(plain.log()).contains("plugin=" + dev.hackablemail.store.Digests.sha256Hex(
                Files.readAllBytes(TestPlugins.EXAMPLE)).substring(0, 12));
    }

    @Test
    void aMessageOverTheSizeLimitBounces() {
        settings.put("max_message_size", "100");
        Outcome outcome = run(Mails.bytes("plain.eml"));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.UNAVAILABLE);
        assertThat(sendmail.calls()).isEmpty();
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 32) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.toString();
    }

    /** A clock the tests move forward. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

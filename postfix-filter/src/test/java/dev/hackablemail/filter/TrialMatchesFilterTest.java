package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.filter.trial.MailTrial;
import dev.hackablemail.filter.trial.TrialResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code try} ({@link MailTrial}) decides as the filter does: the same messages (the bad
 * input the filter's tests use: malformed headers, broken and deep MIME, 8-bit, large, over
 * the size limit, empty) through both, with the same plugin; the same exit code, the same
 * bytes delivered, the same reply (but its Date and Message-ID) or the same suppression.
 * The trial runs first on the same store: the filter, after it, must still find the reply
 * ledger untouched.
 */
class TrialMatchesFilterTest extends InProcessFilterTest {

    @BeforeEach
    void setUp() {
        settings.put("max_message_size", "24m");
    }

    static byte[] example() {
        return bytes(TestPlugins.EXAMPLE);
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A message with Project XYZ in it, so that the example plugin replies, with a twist. */
    static byte[] xyz(String before, String after) {
        return Mails.utf8(before + new String(Mails.bytes("project-xyz.eml"), StandardCharsets.UTF_8) + after);
    }

    static Stream<Arguments> corpus() {
        Map<String, Supplier<byte[]>> mails = new java.util.LinkedHashMap<>();
        for (String sample : List.of("garbage.eml", "broken-mime.eml", "eightbit-latin1.eml", "crlf-repeated.eml",
                "base64-utf8.eml", "quoted-printable.eml", "multipart-attachments.eml", "plain.eml", "project-xyz.eml")) {
            mails.put(sample, () -> Mails.bytes(sample));
        }
        mails.put("malformed header lines", () -> xyz("Subject Project XYZ without a colon\n: no name\nX-\u00ff: 8bit\n",
                ""));
        mails.put("a mailing list's mail", () -> xyz("List-Id: <team.example.org>\n", ""));
        mails.put("an auto-reply", () -> xyz("Auto-Submitted: auto-replied\n", ""));
        mails.put("deep MIME (10,000 levels)", () -> HostileMailTest.nested(10_000));
        mails.put("empty", () -> new byte[0]);
        mails.put("only a blank line", () -> Mails.utf8("\n"));
        mails.put("large (21 MB)", () -> HostileMailTest.large(21));
        mails.put("over max_message_size (25 MB)", () -> HostileMailTest.large(25));
        Map<String, Supplier<byte[]>> plugins = new java.util.LinkedHashMap<>();
        plugins.put("example", TrialMatchesFilterTest::example);
        plugins.put("deliver-as-is", TestPlugins::deliverInputBlock);
        plugins.put("bounce-77", () -> TestPlugins.returning("77"));
        plugins.put("sender-bouncer", () -> bytes(Path.of("../example-plugin/dist/sender-bouncer.wasm")));
        List<Arguments> all = new ArrayList<>();
        mails.forEach((m, mail) -> plugins.forEach((p, plugin) -> {
            if (!(m.startsWith("large") && (p.equals("example") || p.equals("sender-bouncer")))) { // the example copies the body: slow, not different
                // the sender bouncer's blocked domain; everyone else writes from Alice's
                all.add(Arguments.of(m, p, p.equals("sender-bouncer") ? "mallory@spam.example" : ALICE, mail, plugin));
            }
        }));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} with {1} from {2}")
    @MethodSource("corpus")
    void tryDecidesAsTheFilterDoes(String mailName, String pluginName, String sender, Supplier<byte[]> mail,
            Supplier<byte[]> plugin) throws IOException {
        byte[] message = mail.get();
        store.push(BOB, plugin.get(), Instant.now(), "admin", List.of(), 5);
        FilterConfig config = FilterConfig.fromMap(settings, "test");

        TrialResult trial = new MailTrial(config, store).run(sender, BOB, message, null);
        assertThat(sendmail.calls()).as("try ran sendmail").isEmpty();
        Outcome filter = new Filter(config, new SendmailCommand(config.sendmail(), config::sendmailTimeout),
                Clock.systemDefaultZone()).process(sender, BOB, message);

        assertThat(trial.exitCode()).as("exit code; filter: " + filter.log() + "\ntry: " + trial.logLine())
                .isEqualTo(filter.exitCode());
        assertThat(trial.reason()).isEqualTo(filter.reason());
        List<RecordingSendmail.Call> deliveries = sendmail.calls().stream().filter(c -> c.args().contains("-G")).toList();
        List<RecordingSendmail.Call> replies = sendmail.calls().stream().filter(c -> !c.args().contains("-G")).toList();
        if (deliveries.isEmpty()) {
            assertThat(trial.delivery()).isNull();
        } else {
            assertThat(trial.delivery()).isNotNull();
            assertThat(trial.delivery().bytes()).isEqualTo(deliveries.get(0).stdin());
        }
        if (replies.isEmpty()) {
            assertThat(trial.answer()).isNull();
        } else {
            assertThat(trial.answer()).isNotNull();
            assertThat(withoutDateAndId(trial.answer().text())).isEqualTo(withoutDateAndId(replies.get(0).text()));
        }
        assertThat(trial.suppressed() != null).as("suppressed: " + filter.log())
                .isEqualTo(filter.log().contains("reply=suppressed"));
        assertThat(trial.decision().name()).isEqualTo(filter.exitCode() == 0
                ? (deliveries.isEmpty() ? "DROPPED" : "DELIVERED") : filter.exitCode() == 75 ? "DEFERRED" : "BOUNCED");
    }

    @org.junit.jupiter.api.Test
    void aLoopingPluginTimesOutInBothWithTheSameReason() throws IOException {
        settings.put("plugin_timeout", "1s");
        store.push(BOB, Files.readAllBytes(Path.of("../fuzz-targets/dist/long-body-loop.wasm")), Instant.now(), "admin",
                List.of(), 5);
        FilterConfig config = FilterConfig.fromMap(settings, "test");
        byte[] message = HostileMailTest.large(0); // headers only: then 70 KB of body
        message = Mails.utf8(new String(message, StandardCharsets.US_ASCII) + "x".repeat(70_000) + "\n");

        TrialResult trial = new MailTrial(config, store).run(ALICE, BOB, message, null);
        Outcome filter = new Filter(config, new SendmailCommand(config.sendmail(), config::sendmailTimeout),
                Clock.systemDefaultZone()).process(ALICE, BOB, message);

        assertThat(filter.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(trial.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(trial.reason()).isEqualTo(filter.reason()).contains("1 s");
        assertThat(trial.delivery()).isNull();
        assertThat(sendmail.calls()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aSignupIsAnsweredWithTheInvitationTheFilterSendsAndNothingIsRegistered() throws IOException {
        settings.put("signup_address", "it@example.com");
        FilterConfig config = FilterConfig.fromMap(settings, "test");
        byte[] message = Mails.utf8("From: <alice@example.org>\nTo: <it@example.com>\nSubject: /hackablemail signup\n\n");

        TrialResult trial = new MailTrial(config, store).run(ALICE, "it@example.com", message, null);
        assertThat(store.guest(ALICE)).as("try registers nobody").isEmpty();
        Outcome filter = new Filter(config, new SendmailCommand(config.sendmail(), config::sendmailTimeout),
                Clock.systemDefaultZone()).process(ALICE, "it@example.com", message);

        assertThat(trial.exitCode()).isEqualTo(filter.exitCode()).isZero();
        assertThat(trial.answer().kind()).isEqualTo("invitation");
        assertThat(trial.answer().subject()).isEqualTo(MailMessage.parse(sendmail.calls().get(0).stdin()).header("Subject"));
        assertThat(store.guest(ALICE)).as("the filter registers").isPresent();
    }

    private static String withoutDateAndId(String reply) {
        return reply.replaceAll("(?m)^(Date|Message-ID): .*$", "$1: ...");
    }
}

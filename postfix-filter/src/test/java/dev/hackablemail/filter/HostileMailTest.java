package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mail built to break the filter: deep MIME nesting, huge header counts, very large bodies. */
class HostileMailTest extends InProcessFilterTest {

    Outcome run(byte[] message) {
        FilterConfig config = FilterConfig.fromMap(settings, "test");
        return new Filter(config, new SendmailCommand(config.sendmail(), config::sendmailTimeout),
                Clock.systemUTC()).process(ALICE, BOB, message);
    }

    void install(byte[] wasm) throws IOException {
        store.push(BOB, wasm, java.time.Instant.now(), "admin", java.util.List.of(), 20);
    }

    /** A mail whose multiparts nest {@code depth} deep, with a text part at the bottom (667 KB at 10,000). */
    static byte[] nested(int depth) {
        StringBuilder m = new StringBuilder("From: <alice@example.org>\nTo: <bob@example.com>\nSubject: deep\n"
                + "MIME-Version: 1.0\n");
        for (int i = 0; i < depth; i++) {
            m.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\n\n--b").append(i).append('\n');
        }
        m.append("Content-Type: text/plain\n\nat the bottom\n");
        for (int i = depth - 1; i >= 0; i--) {
            m.append("--b").append(i).append("--\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void parsingADeeplyNestedMailStopsAtTheDepthLimit() {
        MailMessage deep = MailMessage.parse(nested(10_000));
        assertThat(deep.multipart()).isTrue();
        assertThat(deep.header("Subject")).isEqualTo("deep");
        assertThat(deep.body()).isEmpty(); // the text part lies below the limit
        assertThat(MailMessage.parse(nested(MailMessage.MAX_MIME_DEPTH - 1)).body()).isEqualTo("at the bottom");
    }

    @Test
    void aDeeplyNestedMailWithoutAPluginPassesThroughUnparsed() {
        byte[] mail = nested(10_000);
        assertThat(mail.length).isGreaterThan(600_000);
        Outcome outcome = run(mail);
        assertThat(outcome.exitCode()).as(outcome.log()).isZero();
        assertThat(sendmail.calls()).singleElement().satisfies(c -> assertThat(c.stdin()).isEqualTo(mail));
    }

    @Test
    void aDeeplyNestedMailIsHandedToThePluginAndDelivered() throws IOException {
        install(TestPlugins.deliverInput());
        byte[] mail = nested(10_000);
        Outcome outcome = run(mail);
        assertThat(outcome.exitCode()).as(outcome.log()).isZero();
        assertThat(sendmail.calls()).singleElement().satisfies(c -> assertThat(c.stdin()).isEqualTo(mail));
    }

    @Test
    void aMailWithAHundredThousandHeaderFieldsInItsPartsIsStillHandedOn() throws IOException {
        install(TestPlugins.deliverInput());
        StringBuilder m = new StringBuilder("From: <alice@example.org>\nTo: <bob@example.com>\nSubject: many\n"
                + "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=x\n\n--x\n");
        m.append("X-Filler: y\n".repeat(100_000));
        m.append("Content-Type: text/plain\n\nhello\n--x--\n");
        byte[] mail = m.toString().getBytes(StandardCharsets.US_ASCII);
        Outcome outcome = run(mail);
        assertThat(outcome.exitCode()).as(outcome.log()).isZero();
        assertThat(sendmail.calls()).singleElement().satisfies(c -> assertThat(c.stdin()).isEqualTo(mail));
    }

    /** A text mail of about {@code megabytes} MB, under the default 64 MB max_message_size. */
    static byte[] large(int megabytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(megabytes << 20);
        out.writeBytes("From: <alice@example.org>\nTo: <bob@example.com>\nSubject: large\n\n"
                .getBytes(StandardCharsets.US_ASCII));
        byte[] line = ("x".repeat(75) + "\n").getBytes(StandardCharsets.US_ASCII);
        while (out.size() < megabytes << 20) {
            out.writeBytes(line);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {21, 30})
    void aLargeMailUnderTheLimitReachesThePluginAndIsDelivered(int megabytes) throws IOException {
        install(TestPlugins.deliverInputBlock());
        byte[] mail = large(megabytes);
        Outcome outcome = run(mail);
        assertThat(outcome.exitCode()).as(outcome.reason()).isZero();
        assertThat(sendmail.calls()).singleElement().satisfies(c -> assertThat(c.stdin()).isEqualTo(mail));
    }

    @Test
    void aPluginCannotDeliverABodyLargerThanTheLimit() throws IOException {
        settings.put("max_message_size", "1000");
        String body = "y".repeat(1001);
        install(TestPlugins.deliverJson("{\"sender\":\"" + ALICE + "\",\"receiver\":\"" + BOB
                + "\",\"headers\":{},\"body\":\"" + body + "\"}"));
        Outcome outcome = run(large(0));
        assertThat(outcome.exitCode()).isEqualTo(SysExits.SOFTWARE);
        assertThat(outcome.reason()).contains("deliver", "max_message_size");
    }
}

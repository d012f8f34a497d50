package dev.hackablemail.filter.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.filter.Reinjection;
import dev.hackablemail.filter.SysExits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What decides BODY=8BITMIME and SMTPUTF8 for a re-injected message. */
class SmtpReinjectionTest {

    @Test
    void anEightBitByteIsFoundWhereverItIs() {
        for (int length = 0; length <= 40; length++) {
            byte[] ascii = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
            assertThat(SmtpReinjection.has8Bit(ascii)).as("ascii of %d", length).isFalse();
            for (int at = 0; at < length; at++) {
                byte[] message = ascii.clone();
                message[at] = (byte) 0x80;
                assertThat(SmtpReinjection.has8Bit(message)).as("0x80 at %d of %d", at, length).isTrue();
                message[at] = (byte) 0xff;
                assertThat(SmtpReinjection.has8Bit(message)).as("0xff at %d of %d", at, length).isTrue();
            }
        }
        assertThat(SmtpReinjection.has8Bit(new byte[] {0x7f, 0, 0x7f, 0, 0x7f, 0, 0x7f, 0, 0x7f})).isFalse();
    }

    @Test
    void anAddressIsAsciiWhenEveryCharacterIs() {
        assertThat(SmtpReinjection.isAscii("")).isTrue();
        assertThat(SmtpReinjection.isAscii("bob@example.com\u007f")).isTrue();
        assertThat(SmtpReinjection.isAscii("bób@example.com")).isFalse();
        assertThat(SmtpReinjection.isAscii("bob@例え.jp")).isFalse();
        assertThat(SmtpReinjection.isAscii("\uD83D\uDE00@example.com")).isFalse();
    }

    @Test
    void aRefusedConnectionIsSaidWithoutJavaClassNames() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort(); // nothing listens there once it is closed
        }
        try (SmtpReinjection reinjection = new SmtpReinjection(
                new SmtpdConfig.HostPort("127.0.0.1", port), "filter.test", Duration.ofSeconds(5), 1)) {
            Reinjection.Result result = reinjection.deliver("alice@example.org", "bob@example.com",
                    "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(result.code()).isEqualTo(SysExits.TEMPFAIL);
            assertThat(result.detail()).startsWith("re-injection to 127.0.0.1:" + port + " failed: ")
                    .containsIgnoringCase("connect")
                    .doesNotContainPattern("java\\.|jakarta\\.|Exception");
        }
    }
}

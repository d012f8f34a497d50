package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendmailCommandTest {

    @TempDir
    Path tmp;

    @Test
    void recordsArgumentsAndStdin() {
        RecordingSendmail rec = new RecordingSendmail(tmp);
        SendmailCommand cmd = new SendmailCommand(List.of(rec.command(), "-C", "/etc/x"), () -> Duration.ofSeconds(10));
        byte[] message = new byte[3 << 20]; // bigger than a pipe buffer
        message[0] = 'X';
        assertThat(cmd.send(List.of("-i", "--", "a@b"), message)).isEqualTo(Sendmail.Result.OK);
        assertThat(rec.calls().get(0).args()).containsExactly("-C", "/etc/x", "-i", "--", "a@b");
        assertThat(rec.calls().get(0).stdin()).isEqualTo(message);
    }

    @Test
    void aFailureCarriesTheCodeAndWhatSendmailSaid() {
        RecordingSendmail rec = new RecordingSendmail(tmp).exitWith(67);
        Sendmail.Result r = new SendmailCommand(List.of(rec.command()), () -> Duration.ofSeconds(10))
                .send(List.of(), new byte[0]);
        assertThat(r.exitCode()).isEqualTo(67);
        assertThat(r.detail()).endsWith("exited with 67: sendmail: fatal: simulated failure 67");
    }

    @Test
    void aMissingCommandIsATemporaryFailure() {
        Sendmail.Result r = new SendmailCommand(List.of(tmp.resolve("nope").toString()), () -> Duration.ofSeconds(1))
                .send(List.of(), new byte[0]);
        assertThat(r.exitCode()).isEqualTo(SysExits.TEMPFAIL);
        assertThat(r.detail()).startsWith("cannot run");
    }

    @Test
    void aHangingSendmailIsKilled() {
        RecordingSendmail rec = new RecordingSendmail(tmp).sleepFirst(60);
        long start = System.nanoTime();
        Sendmail.Result r = new SendmailCommand(List.of(rec.command()), () -> Duration.ofMillis(500))
                .send(List.of(), new byte[10]);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(SysExits.TEMPFAIL);
    }

    @Test
    void theTimeoutMessageGivesTheTimeThisRunWasAllowed() {
        RecordingSendmail rec = new RecordingSendmail(tmp).sleepFirst(60);
        java.util.Iterator<Duration> left = List.of(Duration.ofMillis(1500), Duration.ofSeconds(59)).iterator();
        Sendmail.Result r = new SendmailCommand(List.of(rec.command()), left::next).send(List.of(), new byte[10]);
        assertThat(r.exitCode()).isEqualTo(SysExits.TEMPFAIL);
        assertThat(r.detail()).endsWith(" did not finish within 1500 ms and was killed");
    }

    /** A guest call's deadline interrupts the thread: the delivery's outcome must still be known. */
    @Test
    void anInterruptDoesNotAbandonARunningDelivery() throws Exception {
        RecordingSendmail rec = new RecordingSendmail(tmp).sleepFirst(0.5);
        SendmailCommand cmd = new SendmailCommand(List.of(rec.command()), () -> Duration.ofSeconds(10));
        Sendmail.Result[] result = new Sendmail.Result[1];
        boolean[] interruptedAfter = new boolean[1];
        Thread t = new Thread(() -> {
            result[0] = cmd.send(List.of("x"), new byte[] {'m'});
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        });
        t.start();
        Thread.sleep(100);
        t.interrupt();
        t.join(10_000);
        assertThat(result[0]).isEqualTo(Sendmail.Result.OK);
        assertThat(rec.calls()).hasSize(1);
        assertThat(interruptedAfter[0]).isTrue();
    }

    @Test
    void envelopeAddressesArePassedAsTheirOwnBytes() throws java.io.IOException {
        RecordingSendmail rec = new RecordingSendmail(tmp);
        EnvelopeAddress latin1 = EnvelopeAddress.ofBytes(new byte[] {'a', (byte) 0xff, '@', 'x'});
        EnvelopeAddress utf8 = EnvelopeAddress.ofBytes(new byte[] {'b', (byte) 0xc3, (byte) 0xa9, '@', 'y'});
        assertThat(latin1.text()).isEqualTo("a\u00ff@x");
        assertThat(utf8.text()).isEqualTo("b\u00e9@y");
        SendmailCommand cmd = new SendmailCommand(List.of(rec.command()), () -> Duration.ofSeconds(10),
                List.of(latin1, utf8));
        String odd = "%s %% \\c \\0101 $(id) `id` ' \" * ~ \t\n";
        assertThat(cmd.send(List.of("-f", latin1.text(), "--", utf8.text(), odd, "", "-"), new byte[] {'x'}))
                .isEqualTo(Sendmail.Result.OK);
        byte[] recorded = java.nio.file.Files.readAllBytes(tmp.resolve("call-1.args"));
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (byte[] arg : List.of("-f".getBytes(), latin1.bytes(), "--".getBytes(), utf8.bytes(),
                odd.getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0], "-".getBytes())) {
            expected.writeBytes(arg);
            expected.write(0);
        }
        assertThat(recorded).isEqualTo(expected.toByteArray());
        assertThat(java.nio.file.Files.readAllBytes(tmp.resolve("call-1.eml"))).containsExactly('x');
    }

    @Test
    void plainAsciiArgumentsNeedNoShell() {
        assertThat(ExactArgv.of(List.of("/usr/sbin/sendmail".getBytes(), "a@b".getBytes())))
                .containsExactly("/usr/sbin/sendmail", "a@b");
        assertThat(ExactArgv.of(List.of("s".getBytes(), new byte[] {(byte) 0xff}))).startsWith("/bin/sh", "-c")
                .endsWith("s", "\\0377");
    }
}

package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.onemail.ReplyEmail;
import dev.hackablemail.store.FolderStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's time limit interrupts the thread; if that happens while a reply is being
 * sent, the reply must still be recorded, or every retry of the mail would send it again.
 */
class FilterHostInterruptTest {

    @TempDir
    Path tmp;

    @Test
    void aReplySentAsTheTimeLimitFiresIsRecordedAndTheInterruptKept() throws IOException {
        FolderStore store = new FolderStore(tmp.resolve("store"));
        Files.createDirectories(store.root());
        FilterConfig config = FilterConfig.fromMap(
                Map.of("store", store.root().toString(), "sendmail", "/bin/true", "log", ""), "test");
        AtomicInteger sent = new AtomicInteger();
        Sendmail interruptedWhileSending = (args, message) -> {
            sent.incrementAndGet();
            Thread.currentThread().interrupt(); // the plugin's deadline fires during sendmail
            return Sendmail.Result.OK;
        };
        byte[] bytes = "From: alice@example.org\nTo: bob@example.com\nSubject: Project XYZ\nMessage-ID: <m1@example.org>\n\nhi\n"
                .getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 2; attempt++) {
            MailMessage mail = MailMessage.parse(bytes);
            FilterHost host = new FilterHost(config, store, new SendmailReinjection(interruptedWhileSending), Clock.systemUTC(), mail,
                    mail.toIncomingEmail("alice@example.org", "bob@example.com"));
            int code = host.reply(new ReplyEmail("RE: Project XYZ", "no"));
            boolean interrupted = Thread.interrupted();
            assertThat(code).isZero();
            assertThat(host.temporaryFailure()).isNull();
            assertThat(interrupted).as("the interrupt is handed back to the plugin's deadline")
                    .isEqualTo(attempt == 0);
        }
        assertThat(sent).as("the second delivery attempt finds the first reply in the ledger").hasValue(1);
    }

    @Test
    void aReplyThatFailedIsSentOnTheRetry() throws IOException {
        FolderStore store = new FolderStore(tmp.resolve("store"));
        Files.createDirectories(store.root());
        FilterConfig config = FilterConfig.fromMap(
                Map.of("store", store.root().toString(), "sendmail", "/bin/true", "log", ""), "test");
        AtomicInteger attempts = new AtomicInteger();
        Sendmail failingOnce = (args, message) -> attempts.incrementAndGet() == 1
                ? new Sendmail.Result(75, "sendmail exited with 75") : Sendmail.Result.OK;
        byte[] bytes = "From: alice@example.org\nTo: bob@example.com\nSubject: hi\nMessage-ID: <m2@example.org>\n\nhi\n"
                .getBytes(StandardCharsets.UTF_8);
        int[] codes = new int[3];
        for (int attempt = 0; attempt < 3; attempt++) {
            MailMessage mail = MailMessage.parse(bytes);
            FilterHost host = new FilterHost(config, store, new SendmailReinjection(failingOnce), Clock.systemUTC(), mail,
                    mail.toIncomingEmail("alice@example.org", "bob@example.com"));
            codes[attempt] = host.reply(new ReplyEmail("RE: hi", "away"));
        }
        assertThat(codes).as("failed, then sent (the claim was given back), then suppressed").containsExactly(75, 0, 0);
        assertThat(attempts).hasValue(2);
    }
}

package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.onemail.ReplyEmail;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Replies: host-set headers, and nothing a plugin sends can add a header line. */
class ReplyComposerTest {

    static final ZonedDateTime NOW = ZonedDateTime.parse("2026-11-24T10:15:30+01:00");

    static ReplyComposer.Composed compose(String subject, String body) {
        return ReplyComposer.compose("bob@example.com", "alice@example.org", new ReplyEmail(subject, body),
                Mails.parse("plain.eml"), null, NOW);
    }

    static String headerSection(ReplyComposer.Composed c) {
        String text = new String(c.bytes(), StandardCharsets.US_ASCII);
        return text.substring(0, text.indexOf("\n\n") + 1);
    }

    @Test
    void theHostSetsEveryHeaderButTheSubject() {
        ReplyComposer.Composed c = compose("RE: Lunch", "Yes!\n");
        assertThat(headerSection(c)).isEqualTo("From: <bob@example.com>\n"
                + "To: <alice@example.org>\n"
                + "Subject: RE: Lunch\n"
                + "Date: Tue, 24 Nov 2026 10:15:30 +0100\n"
                + "Message-ID: " + c.messageId() + "\n"
                + "In-Reply-To: <8c1f2a7e-5d0b-4a51-9d3c-0f6e2b7a1c44@example.org>\n"
                + "References: <8c1f2a7e-5d0b-4a51-9d3c-0f6e2b7a1c44@example.org>\n"
                + "Auto-Submitted: auto-replied\n"
                + "Precedence: bulk\n"
                + "X-Auto-Response-Suppress: All\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 7bit\n");
        assertThat(c.messageId()).matches("<[0-9a-z]+\\.[0-9a-f]{16}@example\\.com>");
        assertThat(new String(c.bytes(), StandardCharsets.US_ASCII)).endsWith("\n\nYes!\n");
    }

    @Test
    void referencesGrowFromTheOriginalChain() {
        byte[] mail = Mails.utf8("Message-ID: <c@x>\nReferences: <a@x>\n <b@x> junk <not valid\nSubject: s\n\nbody\n");
        ReplyComposer.Composed c = ReplyComposer.compose("b@y", "a@x", new ReplyEmail("RE: s", "ok"),
                MailMessage.parse(mail), "mx.example.com", NOW);
        MailMessage reply = MailMessage.parse(c.bytes());
        assertThat(reply.header("In-Reply-To")).isEqualTo("<c@x>");
        assertThat(reply.header("References")).isEqualTo("<a@x> <b@x> <c@x>");
        assertThat(c.messageId()).endsWith("@mx.example.com>");
    }

    @Test
    void aMessageWithoutIdsGetsNoInReplyTo() {
        ReplyComposer.Composed c = ReplyComposer.compose("b@y", "a@x", new ReplyEmail("s", "ok"),
                MailMessage.parse(Mails.utf8("Subject: s\n\nbody\n")), null, NOW);
        assertThat(headerSection(c)).doesNotContain("In-Reply-To", "References");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hi\r\nBcc: victim@example.net", "hi\nBcc: victim@example.net", "hi\rBcc: x@y",
        "hi\r\n\r\nbody injection", "\u0000\u0007 hi \u001b[31m"})
    void controlCharactersInTheSubjectNeverStartALine(String subject) {
        ReplyComposer.Composed c = compose(subject, "text");
        String headers = headerSection(c);
        assertThat(headers).doesNotContain("\nBcc", "\r", "\u0000", "\u001b");
        assertThat(headers.split("\n")).allSatisfy(line -> assertThat(line).matches("([A-Za-z-]+: .*| .*)"));
        assertThat(MailMessage.parse(c.bytes()).header("Bcc")).isNull();
    }

    @Test
    void aNonAsciiSubjectIsEncodedAndDecodesBack() {
        String subject = "RE: Grüße – 日本語 😀 and a fairly long tail so that the words must be folded";
        ReplyComposer.Composed c = compose(subject, "x");
        String headers = headerSection(c);
        assertThat(headers).contains("Subject: =?UTF-8?B?");
        assertThat(headers.split("\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(MailMessage.parse(c.bytes()).header("Subject")).isEqualTo(subject);
    }

    @Test
    void aLongAsciiSubjectIsFolded() {
        String subject = "RE: " + "lorem ipsum ".repeat(40).trim();
        ReplyComposer.Composed c = compose(subject, "x");
        assertThat(headerSection(c).split("\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(MailMessage.parse(c.bytes()).header("Subject")).isEqualTo(subject);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 77, 78, 79, 80, 150, 300, 900})
    void longRunsOfBlanksNeverMakeABlankContinuationLine(int blanks) {
        for (String subject : new String[] {"RE: a" + " ".repeat(blanks) + "b", "RE:" + " ".repeat(blanks) + "b c",
            "RE: " + "word ".repeat(14) + " ".repeat(blanks) + "end", "RE: tail" + " ".repeat(blanks),
            "RE: " + "x".repeat(70) + "\t".repeat(blanks % 40) + " ".repeat(blanks) + "y"}) {
            ReplyComposer.Composed c = compose(subject, "x");
            String[] lines = headerSection(c).split("\n");
            assertThat(lines).as("subject with %d blanks", blanks)
                    .allSatisfy(line -> assertThat(line).matches(".*\\S.*"))
                    .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(HeaderText.MAX_LINE));
            assertThat(MailMessage.parse(c.bytes()).header("Subject")).isEqualTo(ReplyComposer.oneLine(subject).strip());
        }
    }

    @Test
    void aSubjectWithAnUnbreakableWordIsEncodedRatherThanOverlong() {
        String subject = "x".repeat(990);
        ReplyComposer.Composed c = compose(subject, "x");
        assertThat(headerSection(c).split("\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(MailMessage.parse(c.bytes()).header("Subject")).isEqualTo(subject);
    }

    @Test
    void anOverlongSubjectOrBodyIsRefused() {
        assertThat(compose("x".repeat(999), "x").refusal()).contains("999 characters");
        assertThat(compose("s", "x".repeat(ReplyComposer.MAX_BODY_BYTES + 1)).refusal()).contains("bytes long");
    }

    @Test
    void aNonAsciiBodyIsQuotedPrintable() {
        ReplyComposer.Composed c = compose("s", "Grüße\r\nzweite Zeile\n");
        assertThat(headerSection(c)).contains("Content-Transfer-Encoding: quoted-printable");
        assertThat(MailMessage.parse(c.bytes()).body()).isEqualTo("Grüße\nzweite Zeile\n");
    }

    @Test
    void aBodyWithAnOverlongLineIsQuotedPrintable() {
        String line = "y".repeat(2000);
        ReplyComposer.Composed c = compose("s", line);
        assertThat(new String(c.bytes(), StandardCharsets.US_ASCII).split("\n"))
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(76));
        assertThat(MailMessage.parse(c.bytes()).body()).isEqualTo(line + "\n"); // a final line end is added
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b@x", "<a@x>", "a@x\nBcc: y", "-oQ/tmp@x", "", "ä@x", "a,b@x"})
    void anAddressWeCannotWriteSafelyIsRefused(String to) {
        ReplyComposer.Composed c = ReplyComposer.compose("bob@example.com", to, new ReplyEmail("s", "b"), null, null,
                NOW);
        assertThat(c.ok()).isFalse();
    }
}

package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.onemail.IncomingEmail;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Applying a plugin's changes to the original message, or refusing them. */
class MessageEditorTest {

    static MessageEditor.Result edit(String sample, Consumer<Map<String, String>> headers, String body) {
        MailMessage m = Mails.parse(sample);
        IncomingEmail given = m.toIncomingEmail("a@x", "b@y");
        Map<String, String> h = new LinkedHashMap<>(m.headers());
        headers.accept(h);
        return MessageEditor.apply(m, given, new IncomingEmail("a@x", "b@y", h, body == null ? given.body() : body));
    }

    static String text(MessageEditor.Result r) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.eml", "multipart-attachments.eml", "eightbit-latin1.eml", "crlf-repeated.eml",
        "broken-mime.eml", "garbage.eml", "quoted-printable.eml"})
    void anUnchangedMailIsTheOriginalBytes(String sample) {
        MessageEditor.Result r = edit(sample, h -> {}, null);
        assertThat(r.ok()).isTrue();
        assertThat(r.changed()).isFalse();
        assertThat(r.bytes()).isEqualTo(Mails.bytes(sample));
    }

    @Test
    void aChangedHeaderReplacesAllItsOccurrencesWhereTheFirstWas() {
        MessageEditor.Result r = edit("crlf-repeated.eml", h -> h.put("X-Tag", "three"), null);
        assertThat(text(r)).isEqualTo(new String(Mails.bytes("crlf-repeated.eml"), StandardCharsets.UTF_8)
                .replace("X-Tag: one\r\n", "X-Tag: three\r\n").replace("x-tag: two\r\n", ""));
    }

    @Test
    void aRemovedHeaderRemovesEveryOccurrence() {
        MessageEditor.Result r = edit("crlf-repeated.eml", h -> h.remove("Received"), null);
        assertThat(text(r)).startsWith("X-Tag: one\r\nFrom:").doesNotContain("Received");
        assertThat(Mails.bodyOf(r.bytes())).isEqualTo(Mails.bodyOf(Mails.bytes("crlf-repeated.eml")));
    }

    @Test
    void anAddedHeaderGoesOnTopAndEverythingElseKeepsItsBytes() {
        byte[] original = Mails.bytes("multipart-attachments.eml");
        MessageEditor.Result r = edit("multipart-attachments.eml", h -> h.put("X-Spam-Score", "0.1"), null);
        byte[] expected = new byte[original.length + "X-Spam-Score: 0.1\n".length()];
        byte[] head = "X-Spam-Score: 0.1\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, expected, 0, head.length);
        System.arraycopy(original, 0, expected, head.length, original.length);
        assertThat(r.bytes()).isEqualTo(expected);
    }

    @Test
    void aNonAsciiSubjectIsEncodedAndFolded() {
        String subject = "Über die Größe der Äpfel – ein sehr langer Betreff, der gefaltet werden muss 😀";
        MessageEditor.Result r = edit("plain.eml", h -> h.put("Subject", subject), null);
        String text = text(r);
        assertThat(text).contains("Subject: =?UTF-8?B?");
        for (String line : text.split("\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
        }
        assertThat(MailMessage.parse(r.bytes()).header("Subject")).isEqualTo(subject);
    }

    @Test
    void aLongAsciiValueIsFoldedAtBlanks() {
        String value = "word ".repeat(60).trim();
        MessageEditor.Result r = edit("plain.eml", h -> h.put("X-Long", value), null);
        assertThat(text(r)).startsWith("X-Long: word word");
        for (String line : text(r).split("\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
        }
        assertThat(MailMessage.parse(r.bytes()).header("X-Long")).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nBcc: x@y", "a\nb", "a\rb"})
    void aValueWithALineBreakIsRefused(String value) {
        MessageEditor.Result r = edit("plain.eml", h -> h.put("Subject", value), null);
        assertThat(r.ok()).isFalse();
        assertThat(r.refusal()).contains("line break");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad Name", "Bad:Name", "", "Nämé"})
    void anInvalidHeaderNameIsRefused(String name) {
        MessageEditor.Result r = edit("plain.eml", h -> h.put(name, "x"), null);
        assertThat(r.ok()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type", "Content-Transfer-Encoding", "MIME-Version"})
    void mimeHeadersCannotChange(String name) {
        assertThat(edit("plain.eml", h -> h.put(name, "x"), null).refusal()).contains("MIME header");
        assertThat(edit("plain.eml", h -> h.remove(name), null).refusal()).contains("MIME header");
    }

    @Test
    void anAddressHeaderMustStayAscii() {
        MessageEditor.Result r = edit("plain.eml", h -> h.put("To", "Bøb <bob@example.com>"), null);
        assertThat(r.refusal()).contains("To has a syntax of its own");
    }

    @Test
    void theEnvelopeCannotChange() {
        MailMessage m = Mails.parse("plain.eml");
        IncomingEmail given = m.toIncomingEmail("a@x", "b@y");
        assertThat(MessageEditor.apply(m, given, new IncomingEmail("a@x", "c@z", given.headers(), given.body()))
                .refusal()).contains("envelope");
        assertThat(MessageEditor.apply(m, given, new IncomingEmail("", "b@y", given.headers(), given.body()))
                .refusal()).contains("envelope");
    }

    @Test
    void namesDifferingOnlyInCaseAreAmbiguous() {
        MessageEditor.Result r = edit("plain.eml", h -> {
            h.put("X-A", "1");
            h.put("x-a", "2");
        }, null);
        assertThat(r.refusal()).contains("given twice");
    }

    @Test
    void aKeyInAnotherCaseWithTheSameValueIsNoChange() {
        MessageEditor.Result r = edit("plain.eml", h -> h.put("subject", h.remove("Subject")), null);
        assertThat(r.changed()).isFalse();
    }

    @Test
    void aChangedCanonicalKeyRewritesTheOriginalLineInItsOwnSpelling() {
        MailMessage m = MailMessage.parse(Mails.utf8("From: a@x\nsubject: old\nX-TAG: 1\nSUBJECT: again\n\nbody\n"));
        IncomingEmail given = m.toIncomingEmail("a@x", "b@y");
        assertThat(given.headers()).containsOnlyKeys("From", "Subject", "X-Tag");
        Map<String, String> h = new LinkedHashMap<>(given.headers());
        h.put("Subject", "new");
        h.remove("X-Tag");
        MessageEditor.Result r = MessageEditor.apply(m, given, new IncomingEmail("a@x", "b@y", h, given.body()));
        assertThat(text(r)).isEqualTo("From: a@x\nsubject: new\n\nbody\n");
    }

    // ------------------------------------------------------------------ bodies

    @Test
    void the7bitBodyOfAPlainMessageCanChange() {
        MessageEditor.Result r = edit("plain.eml", h -> {}, "New text.\nSecond line.\n");
        assertThat(r.ok()).isTrue();
        String text = text(r);
        assertThat(text).endsWith("Content-Transfer-Encoding: 7bit\n\nNew text.\nSecond line.\n");
        assertThat(MailMessage.parse(r.bytes()).body()).isEqualTo("New text.\nSecond line.\n");
    }

    @Test
    void a7bitBodyWithNonAsciiBecomesQuotedPrintable() {
        MessageEditor.Result r = edit("plain.eml", h -> {}, "Grüße\n");
        String text = text(r);
        assertThat(text).contains("Content-Transfer-Encoding: quoted-printable\n").contains("\n\nGr=C3=BC=C3=9Fe\n");
        assertThat(text).doesNotContain("7bit");
        assertThat(MailMessage.parse(r.bytes()).body()).isEqualTo("Grüße\n");
    }

    @Test
    void anIso88591BodyKeepsItsCharsetWhenItCan() {
        MessageEditor.Result r = edit("eightbit-latin1.eml", h -> {}, "Deux cafés.\n");
        assertThat(r.bytes()).endsWith("\n\nDeux caf\u00e9s.\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(text(r)).contains("Content-Type: text/plain; charset=ISO-8859-1\n");
        assertThat(MailMessage.parse(r.bytes()).body()).isEqualTo("Deux cafés.\n");
    }

    @Test
    void aCharsetThatCannotHoldTheNewTextBecomesUtf8() {
        MessageEditor.Result r = edit("eightbit-latin1.eml", h -> {}, "Ein Preis in €: 3\n");
        assertThat(text(r)).contains("Content-Type: text/plain; charset=UTF-8\n")
                .doesNotContain("ISO-8859-1");
        assertThat(MailMessage.parse(r.bytes()).body()).isEqualTo("Ein Preis in €: 3\n");
    }

    @Test
    void aBase64BodyStaysBase64() {
        MessageEditor.Result r = edit("base64-utf8.eml", h -> {}, "Пока!\n");
        assertThat(text(r)).endsWith("\n\n0J/QvtC60LAhDQo=\n");
        assertThat(MailMessage.parse(r.bytes()).body()).isEqualTo("Пока!\n");
    }

    @Test
    void aCrlfMessageGetsCrlfLines() {
        MessageEditor.Result r = edit("crlf-repeated.eml", h -> h.put("X-New", "1"), "a\nb\n");
        assertThat(text(r)).startsWith("X-New: 1\r\n").endsWith("\r\n\r\na\r\nb\r\n");
    }

    @Test
    void aMultipartBodyCannotChange() {
        assertThat(edit("multipart-attachments.eml", h -> {}, "x").refusal())
                .isEqualTo("the body of a multipart/mixed message cannot be changed (only that of a single-part "
                        + "text message)");
    }
}

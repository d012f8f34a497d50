package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a plugin sees of real mails: decoded headers and the text body. */
class MailMessageTest {

    @Test
    void headersAreDecodedAndKeptInMessageOrder() {
        MailMessage m = Mails.parse("multipart-attachments.eml");
        assertThat(m.headers().keySet()).containsExactly(
                "Received", "From", "To", "Subject", "Message-ID", "Date", "MIME-Version", "Content-Type");
        assertThat(m.header("from")).isEqualTo("Jürgen Müller <juergen@example.org>");
        assertThat(m.header("Subject")).isEqualTo("Quarterly report – Project XYZ");
    }

    @Test
    void repeatedHeadersAreJoinedInOrderUnderTheCanonicalSpelling() {
        MailMessage m = Mails.parse("crlf-repeated.eml");
        assertThat(m.headers()).containsEntry("X-Tag", "one, two").doesNotContainKey("x-tag");
        assertThat(m.header("Received")).isEqualTo(
                "from a.example by b.example; Tue, 24 Nov 2026 12:00:02 +0100, "
                        + "from c.example\tby a.example; Tue, 24 Nov 2026 12:00:01 +0100");
        assertThat(m.header("Subject")).isEqualTo("A subject that is folded over two lines");
    }

    @Test
    void headerNamesArriveInTheirCanonicalSpelling() {
        MailMessage m = MailMessage.parse(Mails.utf8("subject: low\nMESSAGE-ID: <a@b>\nmime-version: 1.0\n"
                + "x-spam-STATUS: no\nLIST-ID: <l.x>\nSUBJECT: high\n\nbody\n"));
        assertThat(m.headers()).containsExactly(java.util.Map.entry("Subject", "low, high"),
                java.util.Map.entry("Message-ID", "<a@b>"), java.util.Map.entry("MIME-Version", "1.0"),
                java.util.Map.entry("X-Spam-Status", "no"), java.util.Map.entry("List-Id", "<l.x>"));
        assertThat(m.fields()).extracting(MailMessage.RawField::name).as("the message's own spelling is kept")
                .containsExactly("subject", "MESSAGE-ID", "mime-version", "x-spam-STATUS", "LIST-ID", "SUBJECT");
    }

    @Test
    void crlfMessagesAreRecognisedAndTheirBodyReadWithLfLineEnds() {
        MailMessage m = Mails.parse("crlf-repeated.eml");
        assertThat(m.lineSeparator()).isEqualTo("\r\n");
        assertThat(m.body()).isEqualTo("Line one.\n.\nLine after a lone dot.\n");
    }

    @Test
    void encodedWordsInSeveralCharsetsAreDecoded() {
        assertThat(Mails.parse("base64-utf8.eml").header("Subject")).isEqualTo("Grüße aus 😂");
        assertThat(Mails.parse("quoted-printable.eml").header("Subject")).isEqualTo("Présentation € 2026");
        assertThat(Mails.parse("quoted-printable.eml").header("From")).isEqualTo("\"Zoe Q.\" <zoe@example.org>");
    }

    @Test
    void rawUtf8HeadersAreRead() {
        MailMessage m = Mails.parse("eightbit-latin1.eml");
        assertThat(m.header("From")).isEqualTo("François <francois@example.org>");
        assertThat(m.header("Subject")).isEqualTo("Café crème");
    }

    @Test
    void an8bitBodyIsDecodedFromItsCharset() {
        MailMessage m = Mails.parse("eightbit-latin1.eml");
        assertThat(m.body()).isEqualTo("Un café crème coûte 3 ¤ à la gare.\nBientôt!\n");
        assertThat(m.charset()).isEqualTo("iso-8859-1");
        assertThat(m.transferEncoding()).isEqualTo("8bit");
        assertThat(m.bodyEditable()).isTrue();
    }

    @Test
    void aBase64BodyIsDecoded() {
        assertThat(Mails.parse("base64-utf8.eml").body())
                .isEqualTo("Привет, Боб! Ça va? 日本語のテキスト。\nZweite Zeile.\n");
    }

    @Test
    void aQuotedPrintableBodyIsDecoded() {
        assertThat(Mails.parse("quoted-printable.eml").body()).isEqualTo("Bonjour, \n"
                + "voici la présentation pour la réunion. Ce texte est assez long pour que la ligne soit coupée "
                + "par un saut de ligne doux.\nCoût: 10 €\n");
    }

    @Test
    void aMultipartGivesItsFirstPlainTextPart() {
        MailMessage m = Mails.parse("multipart-attachments.eml");
        assertThat(m.multipart()).isTrue();
        assertThat(m.mimeType()).isEqualTo("multipart/mixed");
        assertThat(m.bodyEditable()).isFalse();
        assertThat(m.body()).isEqualTo("Hallo Bob,\n\nanbei der Bericht für das Quartal. Die Zahlen sind größer als "
                + "erwartet.\n\nGrüße, Jürgen");
    }

    @Test
    void aTextAttachmentIsNotTheBody() {
        byte[] mail = Mails.utf8("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                + "Content-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\nattached\n--b\n"
                + "Content-Type: text/plain\n\nthe body\n--b--\n");
        assertThat(MailMessage.parse(mail).body()).isEqualTo("the body");
    }

    @Test
    void aMultipartWithoutPlainTextHasAnEmptyBody() {
        byte[] mail = Mails.utf8("Content-Type: multipart/alternative; boundary=b\n\n--b\n"
                + "Content-Type: text/html\n\n<p>only html</p>\n--b--\n");
        assertThat(MailMessage.parse(mail).body()).isEmpty();
    }

    @Test
    void aSinglePartNonTextMessageHasAnEmptyBody() {
        byte[] mail = Mails.utf8("Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n");
        MailMessage m = MailMessage.parse(mail);
        assertThat(m.body()).isEmpty();
        assertThat(m.bodyEditable()).isFalse();
    }

    @Test
    void brokenMimeGivesWhatCanBeRead() {
        MailMessage m = Mails.parse("broken-mime.eml");
        assertThat(m.headers()).containsOnlyKeys("From", "To", "Subject", "MIME-Version", "Content-Type");
        assertThat(m.body()).startsWith("Hello world!");
    }

    @Test
    void garbageHasNoHeadersAndStillParses() {
        MailMessage m = Mails.parse("garbage.eml");
        assertThat(m.headers()).isEmpty();
        assertThat(m.fields()).isEmpty();
        assertThat(m.headerEnd()).isZero();
    }

    @Test
    void emptyInputAndHeaderOnlyMessagesParse() {
        assertThat(MailMessage.parse(new byte[0]).headers()).isEmpty();
        MailMessage headerOnly = MailMessage.parse(Mails.utf8("Subject: x\nTo: y"));
        assertThat(headerOnly.headers()).isEqualTo(Map.of("Subject", "x", "To", "y"));
        assertThat(headerOnly.body()).isEmpty();
    }

    @Test
    void anEmptySubjectIsAnEmptyString() {
        assertThat(MailMessage.parse(Mails.utf8("Subject:\nTo: y\n\nhi\n")).headers()).containsEntry("Subject", "");
    }

    @Test
    void rawValuesKeepEachOccurrence() {
        MailMessage m = Mails.parse("crlf-repeated.eml");
        assertThat(m.rawValues("x-tag")).isEqualTo(List.of(" one", " two"));
    }
}

package dev.hackablemail.filter;

import dev.hackablemail.onemail.ReplyEmail;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a reply: a new message From the original recipient, To the original envelope
 * sender, with the plugin's subject and body and every other header set by the host.
 *
 * <p>Nothing the plugin sends can add a header line: the subject is one line (line breaks
 * and control characters become spaces), RFC 2047-encoded when not plain ASCII and folded
 * when long; a subject over {@value #MAX_SUBJECT_CHARS} characters or a body over
 * {@value #MAX_BODY_BYTES} bytes is refused. The body is plain text in UTF-8, 7bit when it
 * is ASCII with short lines, else quoted-printable.
 */
final class ReplyComposer {

    static final int MAX_SUBJECT_CHARS = 998;
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final String SEP = "\n";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);
    private static final Pattern MSG_ID = Pattern.compile("<[\\x21-\\x3b\\x3d\\x3f-\\x7e]{1,250}>");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private static final int MAX_REFERENCES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The reply's bytes, or why it was refused. */
    record Composed(byte[] bytes, String messageId, String refusal) {
        boolean ok() {
            return refusal == null;
        }
    }

    private ReplyComposer() {}

    /**
     * @param from the original recipient
     * @param to the original envelope sender
     * @param original the mail being answered (for In-Reply-To and References), or null
     * @param hostname the domain of the new Message-ID; null: {@code from}'s domain
     */
    static Composed compose(String from, String to, ReplyEmail reply, MailMessage original, String hostname,
            ZonedDateTime now) {
        if (!validAddress(from) || !validAddress(to)) {
            return refused("an address is not plain ASCII without blanks, brackets or control characters: "
                    + printable(from) + ", " + printable(to));
        }
        String subject = oneLine(reply.subject());
        if (subject.length() > MAX_SUBJECT_CHARS) {
            return refused("the subject is " + subject.length() + " characters long, more than "
                    + MAX_SUBJECT_CHARS);
        }
        byte[] bodyUtf8 = reply.body().getBytes(StandardCharsets.UTF_8);
        if (bodyUtf8.length > MAX_BODY_BYTES) {
            return refused("the body is " + bodyUtf8.length + " bytes long, more than " + MAX_BODY_BYTES);
        }
        String messageId = "<" + Long.toString(now.toInstant().toEpochMilli(), 36) + "."
                + HexFormat.of().formatHex(randomBytes(8)) + "@" + domain(hostname, from) + ">";

        StringBuilder h = new StringBuilder(512);
        h.append("From: <").append(from).append('>').append(SEP);
        h.append("To: <").append(to).append('>').append(SEP);
        h.append(HeaderText.field("Subject", subject, SEP));
        h.append("Date: ").append(DATE.format(now)).append(SEP);
        h.append("Message-ID: ").append(messageId).append(SEP);
        if (original != null) {
            List<String> parentIds = ids(original.rawValues("Message-ID"));
            List<String> references = ids(original.rawValues("References"));
            if (references.isEmpty()) {
                references = ids(original.rawValues("In-Reply-To"));
            }
            if (!parentIds.isEmpty()) {
                String parent = parentIds.get(0);
                h.append("In-Reply-To: ").append(parent).append(SEP);
                references = new ArrayList<>(references);
                references.remove(parent);
                references.add(parent);
            }
            if (!references.isEmpty()) {
                int from0 = Math.max(0, references.size() - MAX_REFERENCES);
                h.append(HeaderText.field("References", String.join(" ", references.subList(from0, references.size())),
                        SEP));
            }
        }
        // RFC 3834 section 5; Precedence and X-Auto-Response-Suppress for the responders that
        // ignore Auto-Submitted (older vacation programs, Exchange), as Pigeonhole sends them.
        h.append("Auto-Submitted: auto-replied").append(SEP);
        h.append("Precedence: bulk").append(SEP);
        h.append("X-Auto-Response-Suppress: All").append(SEP);
        h.append("MIME-Version: 1.0").append(SEP);
        h.append("Content-Type: text/plain; charset=UTF-8").append(SEP);

        List<String> lines = MessageEditor.splitLines(reply.body());
        boolean plain = true;
        for (String line : lines) {
            plain &= HeaderText.plainAscii(line) && line.length() <= HeaderText.MAX_LINE && line.indexOf('\t') < 0;
        }
        byte[] body;
        if (plain) {
            h.append("Content-Transfer-Encoding: 7bit").append(SEP);
            body = String.join(SEP, lines).getBytes(StandardCharsets.US_ASCII);
        } else {
            h.append("Content-Transfer-Encoding: quoted-printable").append(SEP);
            body = QuotedPrintable.encode(lines, StandardCharsets.UTF_8, SEP);
        }
        h.append(SEP);
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length + (endsWithNewline(body) ? 0 : 1)];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        if (all.length > head.length + body.length) {
            all[all.length - 1] = '\n';
        }
        return new Composed(all, messageId, null);
    }

    private static boolean endsWithNewline(byte[] body) {
        return body.length > 0 && body[body.length - 1] == '\n';
    }

    private static Composed refused(String why) {
        return new Composed(null, null, why);
    }

    /** Line breaks (and the blanks after them) and control characters become single spaces. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                while (i + 1 < text.length() && (text.charAt(i + 1) == '\r' || text.charAt(i + 1) == '\n'
                        || text.charAt(i + 1) == ' ' || text.charAt(i + 1) == '\t')) {
                    i++;
                }
                out.append(' ');
            } else if (c < 32 || c == 127) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** An address we are willing to put in a header and on a command line. */
    static boolean validAddress(String address) {
        if (address == null || address.isEmpty() || address.length() > 320 || address.startsWith("-")) {
            return false;
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c <= 32 || c >= 127 || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';'
                    || c == '\\' || c == '"') {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        return s == null ? "null" : s.replaceAll("[\\p{Cntrl}]", "?");
    }

    private static List<String> ids(List<String> rawValues) {
        List<String> ids = new ArrayList<>();
        for (String raw : rawValues) {
            Matcher m = MSG_ID.matcher(raw);
            while (m.find()) {
                if (!ids.contains(m.group())) {
                    ids.add(m.group());
                }
            }
        }
        return ids;
    }

    private static String domain(String hostname, String from) {
        if (hostname != null && DOMAIN.matcher(hostname).matches()) {
            return hostname;
        }
        String d = from.substring(from.lastIndexOf('@') + 1);
        return DOMAIN.matcher(d).matches() ? d : "localhost";
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}

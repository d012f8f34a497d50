package dev.hackablemail.filter;

import dev.hackablemail.onemail.IncomingEmail;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies the changes a plugin made to its {@code IncomingEmail} to the original message,
 * where that can be done faithfully, and refuses them otherwise.
 *
 * <ul>
 *   <li>Nothing changed: the original bytes, exactly.</li>
 *   <li>The envelope ({@code sender}, {@code receiver}) cannot change: a plugin cannot send
 *       the mail anywhere else.</li>
 *   <li>Headers: keys are matched to the message's fields without regard to case (the
 *       plugin was handed canonical names: {@code Subject} for a {@code subject:} line). A
 *       removed key removes every occurrence of that header; a changed value replaces all
 *       occurrences by one field where the first one was, spelled as that one was; a new key
 *       adds a field at the top of the header. Every other field keeps its bytes and its place. New values
 *       are folded, and RFC 2047-encoded when not ASCII (refused for headers with a syntax of
 *       their own, such as From or Message-ID). Values with line breaks, invalid names, and
 *       changes to the MIME headers (MIME-Version, Content-Type, Content-Transfer-Encoding)
 *       are refused.</li>
 *   <li>Body: only the body of a single-part text message can change. It is written in its
 *       charset if that can encode the new text (else UTF-8) and in its transfer encoding
 *       (quoted-printable when a 7bit/8bit body would need 8-bit bytes or too long lines);
 *       Content-Type and Content-Transfer-Encoding are rewritten only when they change.
 *       The body of a multipart message, or of a non-text one, cannot change.</li>
 * </ul>
 */
final class MessageEditor {

    private static final Set<String> MIME_HEADERS = Set.of("mime-version", "content-type", "content-transfer-encoding");

    /** The edited message, or why the edit was refused. */
    record Result(byte[] bytes, String refusal, boolean changed) {
        static Result refused(String why) {
            return new Result(null, why, false);
        }

        boolean ok() {
            return refusal == null;
        }
    }

    private MessageEditor() {}

    static Result apply(MailMessage original, IncomingEmail given, IncomingEmail edited) {
        if (!edited.sender().equals(given.sender()) || !edited.receiver().equals(given.receiver())) {
            return Result.refused("the envelope (sender, receiver) cannot be changed");
        }
        Map<String, String> before = ci(given.headers());
        Map<String, String> after = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> e : edited.headers().entrySet()) {
            if (after.put(e.getKey(), e.getValue()) != null) {
                return Result.refused("the header '" + e.getKey() + "' is given twice (names differing only in case)");
            }
        }
        Map<String, String> changed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> removed = new ArrayList<>();
        Map<String, String> added = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : before.entrySet()) {
            String now = after.get(e.getKey());
            if (now == null) {
                removed.add(e.getKey());
            } else if (!now.equals(e.getValue())) {
                changed.put(e.getKey(), now);
            }
        }
        for (Map.Entry<String, String> e : edited.headers().entrySet()) {
            if (!before.containsKey(e.getKey())) {
                added.put(e.getKey(), e.getValue());
            }
        }
        boolean bodyChanged = !edited.body().equals(given.body());
        if (changed.isEmpty() && removed.isEmpty() && added.isEmpty() && !bodyChanged) {
            return new Result(original.bytes(), null, false);
        }

        List<String> touched = new ArrayList<>(removed);
        touched.addAll(changed.keySet());
        touched.addAll(added.keySet());
        for (String name : touched) {
            if (MIME_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                return Result.refused("the MIME header " + name + " cannot be changed (it describes the body)");
            }
        }
        String sep = original.lineSeparator();
        Map<String, String> newFields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try {
            for (Map.Entry<String, String> e : changed.entrySet()) {
                newFields.put(e.getKey(), field(originalSpelling(original, e.getKey()), e.getValue(), sep));
            }
            for (Map.Entry<String, String> e : added.entrySet()) {
                newFields.put(e.getKey(), field(e.getKey(), e.getValue(), sep));
            }
        } catch (IllegalArgumentException e) {
            return Result.refused(e.getMessage());
        }

        BodyEdit body = null;
        if (bodyChanged) {
            if (!original.bodyEditable()) {
                return Result.refused("the body of a " + original.mimeType()
                        + " message cannot be changed (only that of a single-part text message)");
            }
            body = encodeBody(original, edited.body());
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(original.bytes().length + 256);
        byte[] b = original.bytes();
        for (String name : added.keySet()) {
            write(out, newFields.get(name));
        }
        Set<String> written = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (MailMessage.RawField f : original.fields()) {
            String name = f.name();
            if (body != null && body.replacesHeader(name)) {
                if (written.add(name)) {
                    write(out, body.header(name, sep));
                }
            } else if (removed.stream().anyMatch(name::equalsIgnoreCase)) {
                continue;
            } else if (changed.containsKey(name)) {
                if (written.add(name)) {
                    write(out, newFields.get(name));
                }
            } else {
                out.write(b, f.start(), f.length());
            }
        }
        if (body != null) {
            for (String name : body.headers.keySet()) {
                if (!written.contains(name)) {
                    write(out, body.header(name, sep));
                }
            }
        }
        int end = original.headerEnd();
        if (body == null) {
            out.write(b, end, b.length - end);
        } else {
            out.writeBytes(sep.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body.bytes);
        }
        return new Result(out.toByteArray(), null, true);
    }

    private static String field(String name, String value, String sep) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("the value of " + name + " contains a line break");
            }
        }
        return HeaderText.field(name, value, sep);
    }

    /**
     * The name as the message spells it at its first occurrence: the plugin was handed the
     * canonical spelling ({@code Subject} for a {@code subject:} line), and the changed field
     * keeps the line's own.
     */
    private static String originalSpelling(MailMessage original, String name) {
        for (MailMessage.RawField f : original.fields()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.name();
            }
        }
        return name;
    }

    private static Map<String, String> ci(Map<String, String> headers) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(headers);
        return m;
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ body

    /** A re-encoded body and the MIME headers that must change with it (none when they stay). */
    private static final class BodyEdit {
        final byte[] bytes;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        BodyEdit(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean replacesHeader(String name) {
            return headers.containsKey(name);
        }

        String header(String name, String sep) {
            return HeaderText.field(name, headers.get(name), sep);
        }
    }

    private static BodyEdit encodeBody(MailMessage original, String text) {
        String sep = original.lineSeparator();
        Charset declared = MailMessage.lookupCharset(original.charset()).orElse(StandardCharsets.US_ASCII);
        Charset charset = canEncode(declared, text) ? declared : StandardCharsets.UTF_8;
        String encoding = original.transferEncoding();
        List<String> lines = splitLines(text);
        byte[] encodedText = String.join("\r\n", lines).getBytes(charset);
        boolean eightBit = false;
        for (byte x : encodedText) {
            eightBit |= x < 0;
        }
        boolean longLines = false;
        for (String line : lines) {
            longLines |= line.getBytes(charset).length > HeaderText.MAX_LINE;
        }
        String newEncoding;
        switch (encoding) {
            case "base64":
            case "quoted-printable":
                newEncoding = encoding;
                break;
            case "8bit":
            case "binary":
                newEncoding = longLines ? "quoted-printable" : encoding;
                break;
            default:
                newEncoding = eightBit || longLines ? "quoted-printable" : encoding;
                break;
        }
        byte[] bytes;
        if (newEncoding.equals("base64")) {
            bytes = (Base64.getMimeEncoder(76, sep.getBytes(StandardCharsets.US_ASCII)).encodeToString(encodedText)
                    + sep).getBytes(StandardCharsets.US_ASCII);
        } else if (newEncoding.equals("quoted-printable")) {
            bytes = QuotedPrintable.encode(lines, charset, sep);
        } else {
            bytes = String.join(sep, lines).getBytes(charset);
        }
        BodyEdit edit = new BodyEdit(bytes);
        if (!charset.equals(declared) && !(original.charset() == null && charset.equals(StandardCharsets.US_ASCII))) {
            edit.headers.put("Content-Type", original.mimeType() + "; charset=" + charset.name());
        }
        if (!newEncoding.equals(encoding)) {
            edit.headers.put("Content-Transfer-Encoding", newEncoding);
            if (!edit.headers.containsKey("Content-Type") && original.header("Content-Type") == null) {
                edit.headers.put("Content-Type", original.mimeType() + "; charset=" + charset.name());
            }
        }
        if (!edit.headers.isEmpty() && original.header("MIME-Version") == null) {
            edit.headers.put("MIME-Version", "1.0");
        }
        return edit;
    }

    private static boolean canEncode(Charset charset, String text) {
        if (!charset.canEncode()) {
            return false;
        }
        CharsetEncoder encoder = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            encoder.encode(java.nio.CharBuffer.wrap(text));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The text's lines, whatever their ends (CRLF, LF, lone CR); a final line end gives an empty last line. */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines;
    }
}

package dev.hackablemail.filter;

import dev.hackablemail.onemail.HeaderNames;
import dev.hackablemail.onemail.IncomingEmail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * A message as Postfix handed it to the filter: its original bytes, untouched, and what a
 * plugin sees of it.
 *
 * <p>The top-level header is split into its fields here, byte for byte, so that the filter
 * can re-inject the message exactly as it came or apply a plugin's header changes to it
 * without touching anything else. Header values are unfolded and decoded from RFC 2047
 * encoded-words with mime4j; raw 8-bit header bytes are read as UTF-8 when they are valid
 * UTF-8 (RFC 6532), else as ISO-8859-1.
 *
 * <p>The MIME structure and the body are read with mime4j's {@link MimeTokenStream}
 * (permissive: broken MIME gives the best text it can, never an exception). The text body
 * a plugin sees is:
 * <ul>
 *   <li>a single-part {@code text/*} message (or one without Content-Type): its body,
 *       decoded from its transfer encoding (base64, quoted-printable) and charset;</li>
 *   <li>a multipart message: the first {@code text/plain} part that is not an attachment
 *       (Content-Disposition other than {@code attachment}), at any depth, decoded the same
 *       way; attached messages ({@code message/rfc822}) are not looked into;</li>
 *   <li>anything else (a single-part PDF, a multipart without a plain-text part): empty.</li>
 * </ul>
 * Hostile structure is bounded: multiparts are read {@value #MAX_MIME_DEPTH} levels deep and
 * {@value #MAX_PART_HEADER_FIELDS} header fields per part; a text part beyond either is not
 * found (the body is then what was found before). The top-level header is always read whole.
 * Line ends in the body text are always {@code \n}, whatever the message used (Postfix
 * hands LF; quoted-printable and base64 decode to CRLF).
 */
public final class MailMessage {

    /** One header field as it appears in the message. */
    public record RawField(String name, int start, int end) {
        /** Bytes of the field in the message, from the name up to and including its last line end. */
        public int length() {
            return end - start;
        }
    }

    private final byte[] bytes;
    private final List<RawField> fields;
    /** Where the header ends: the blank line (or the first line that is not a header field). */
    private final int headerEnd;
    /** "\r\n" when the message's lines end so, else "\n". */
    private final String lineSeparator;
    private final Map<String, String> headers;
    private final String body;
    private final String mimeType;
    private final String charset;
    private final String transferEncoding;
    private final boolean multipart;

    private MailMessage(byte[] bytes) {
        this.bytes = bytes;
        List<RawField> split = new ArrayList<>();
        this.headerEnd = splitHeader(bytes, split);
        this.fields = Collections.unmodifiableList(split);
        this.lineSeparator = detectLineSeparator(bytes);
        this.headers = Collections.unmodifiableMap(decodeHeaders());
        Structure s = readStructure(bytes);
        this.body = s.body;
        this.mimeType = s.mimeType;
        this.charset = s.charset;
        this.transferEncoding = s.transferEncoding;
        this.multipart = s.multipart;
    }

    /** Parses a message; never fails, whatever the bytes (broken MIME gives what can be read). */
    public static MailMessage parse(byte[] bytes) {
        return new MailMessage(bytes);
    }

    /** The original bytes, exactly as read (do not modify). */
    public byte[] bytes() {
        return bytes;
    }

    public List<RawField> fields() {
        return fields;
    }

    public int headerEnd() {
        return headerEnd;
    }

    public String lineSeparator() {
        return lineSeparator;
    }

    /**
     * The decoded headers in message order, as {@code schema/on-email.yaml} describes them:
     * one key per name, in its canonical spelling ({@link HeaderNames}: a {@code subject:}
     * line gives {@code Subject}), repeated headers joined with {@code ", "}.
     */
    public Map<String, String> headers() {
        return headers;
    }

    /** A decoded header value (names compared without regard to case), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The raw (undecoded, unfolded) values of every occurrence of a header, in order. */
    public List<String> rawValues(String name) {
        List<String> values = new ArrayList<>();
        for (RawField f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                values.add(unfold(rawValue(f)));
            }
        }
        return values;
    }

    /** The text body a plugin sees (see the class comment). */
    public String body() {
        return body;
    }

    /** The top-level MIME type, lower case ({@code text/plain} when the message declares none). */
    public String mimeType() {
        return mimeType;
    }

    /** The top-level charset as declared, lower case, or null. */
    public String charset() {
        return charset;
    }

    /** The top-level Content-Transfer-Encoding, lower case ({@code 7bit} when absent). */
    public String transferEncoding() {
        return transferEncoding;
    }

    public boolean multipart() {
        return multipart;
    }

    /** Whether a plugin's new body can be written back faithfully: a single-part text message. */
    public boolean bodyEditable() {
        return !multipart && mimeType.startsWith("text/");
    }

    /** What the plugin is handed. */
    public IncomingEmail toIncomingEmail(String sender, String receiver) {
        return new IncomingEmail(sender, receiver, headers, body);
    }

    /** The bytes of one field's value: everything after the colon, line ends included. */
    String rawValue(RawField f) {
        int colon = f.start();
        while (bytes[colon] != ':') {
            colon++;
        }
        return decodeHeaderBytes(bytes, colon + 1, f.end());
    }

    // ---------------------------------------------------------------- header splitting

    /**
     * Splits the header into fields and returns where it ends. A field starts with a name
     * (printable ASCII but the colon) followed by optional blanks and a colon; lines that
     * start with a blank continue it. The header ends at the first empty line or at the first
     * line that is neither, which then belongs to the body (as Postfix itself reads it).
     */
    private static int splitHeader(byte[] b, List<RawField> out) {
        int pos = 0;
        int fieldStart = -1;
        String fieldName = null;
        while (pos < b.length) {
            int lineEnd = nextLineEnd(b, pos);
            boolean empty = b[pos] == '\n' || (b[pos] == '\r' && pos + 1 < b.length && b[pos + 1] == '\n');
            if (empty) {
                break;
            }
            if ((b[pos] == ' ' || b[pos] == '\t') && fieldStart >= 0) {
                pos = lineEnd;
                continue;
            }
            String name = fieldName(b, pos, lineEnd);
            if (name == null) {
                break;
            }
            if (fieldStart >= 0) {
                out.add(new RawField(fieldName, fieldStart, pos));
            }
            fieldStart = pos;
            fieldName = name;
            pos = lineEnd;
        }
        if (fieldStart >= 0) {
            out.add(new RawField(fieldName, fieldStart, pos));
        }
        return pos;
    }

    private static int nextLineEnd(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i + 1;
            }
        }
        return b.length;
    }

    private static String fieldName(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] > 32 && b[i] < 127 && b[i] != ':') {
            i++;
        }
        if (i == from) {
            return null;
        }
        int nameEnd = i;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        if (i >= to || b[i] != ':') {
            return null;
        }
        return new String(b, from, nameEnd - from, StandardCharsets.US_ASCII);
    }

    private static String detectLineSeparator(byte[] b) {
        int end = nextLineEnd(b, 0);
        return end >= 2 && b[end - 1] == '\n' && b[end - 2] == '\r' ? "\r\n" : "\n";
    }

    // ---------------------------------------------------------------- header decoding

    private Map<String, String> decodeHeaders() {
        Map<String, String> inOrder = new LinkedHashMap<>();
        for (RawField f : fields) {
            String value = decodeValue(rawValue(f));
            inOrder.merge(HeaderNames.canonical(f.name()), value, (previous, next) -> previous + ", " + next);
        }
        return inOrder;
    }

    /** Unfolds and decodes one raw header value (RFC 2047 encoded-words, with mime4j). */
    static String decodeValue(String raw) {
        String unfolded = unfold(raw).strip();
        if (!unfolded.contains("=?")) {
            return unfolded;
        }
        try {
            return DecoderUtil.decodeEncodedWords(unfolded, DecodeMonitor.SILENT);
        } catch (RuntimeException malformed) {
            return unfolded;
        }
    }

    /** Removes the line breaks of a folded value (RFC 5322 2.2.3); the blanks after them stay. */
    static String unfold(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\r' && c != '\n') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Header bytes as text: UTF-8 where valid (RFC 6532), else ISO-8859-1 (never fails). */
    static String decodeHeaderBytes(byte[] b, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to && ascii; i++) {
            ascii = b[i] >= 0;
        }
        if (ascii) {
            return new String(b, from, to - from, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    // ---------------------------------------------------------------- MIME structure

    private record Structure(String body, String mimeType, String charset, String transferEncoding,
            boolean multipart) {}

    /**
     * The deepest multipart nesting read for the body; below it the structure is not looked
     * into (mime4j reads each level through the streams of the levels above it, so an
     * unbounded depth overflows the stack). Real mail nests a handful of levels.
     */
    static final int MAX_MIME_DEPTH = 64;
    /** Header fields read per MIME entity; past it mime4j stops and the body read so far counts. */
    static final int MAX_PART_HEADER_FIELDS = 1000;

    private static final MimeConfig MIME_CONFIG = MimeConfig.custom()
            .setMaxLineLen(-1)
            .setMaxHeaderLen(-1)
            .setMaxHeaderCount(MAX_PART_HEADER_FIELDS)
            .setMaxContentLen(-1)
            .setStrictParsing(false)
            .setMalformedHeaderStartsBody(false)
            .build();

    private static Structure readStructure(byte[] bytes) {
        MimeTokenStream stream = new MimeTokenStream(MIME_CONFIG, DecodeMonitor.SILENT, null);
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        stream.parse(new ByteArrayInputStream(bytes));
        String topType = "text/plain";
        String topCharset = null;
        String topEncoding = "7bit";
        boolean multipart = false;
        String body = null;
        int depth = 0;
        String disposition = null;
        try {
            parts:
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                switch (state) {
                    case T_START_MESSAGE:
                    case T_START_BODYPART:
                        disposition = null;
                        break;
                    case T_FIELD:
                        Field field = stream.getField();
                        if (field.getName().equalsIgnoreCase("Content-Disposition")) {
                            disposition = decodeValue(field.getBody()).toLowerCase(Locale.ROOT);
                        }
                        break;
                    case T_START_MULTIPART:
                        if (depth == MAX_MIME_DEPTH) {
                            break parts;
                        }
                        if (depth == 0) {
                            multipart = true;
                            String declared = stream.getBodyDescriptor().getMimeType();
                            topType = declared == null ? "multipart/mixed" : declared.toLowerCase(Locale.ROOT);
                        }
                        depth++;
                        break;
                    case T_END_MULTIPART:
                        depth--;
                        break;
                    case T_BODY:
                        BodyDescriptor d = stream.getBodyDescriptor();
                        String type = d.getMimeType() == null ? "text/plain" : d.getMimeType().toLowerCase(Locale.ROOT);
                        if (depth == 0 && !multipart) {
                            topType = type;
                            topCharset = declaredCharset(d);
                            topEncoding = d.getTransferEncoding() == null ? "7bit"
                                    : d.getTransferEncoding().toLowerCase(Locale.ROOT);
                            if (type.startsWith("text/")) {
                                body = decodeText(stream.getDecodedInputStream(), topCharset);
                            }
                        } else if (body == null && type.equals("text/plain")
                                && (disposition == null || !disposition.startsWith("attachment"))) {
                            body = decodeText(stream.getDecodedInputStream(), declaredCharset(d));
                        }
                        break;
                    default:
                        break;
                }
            }
        } catch (MimeException | IOException | RuntimeException broken) {
            // Permissive parsing rarely gets here; keep what was read so far.
        }
        return new Structure(body == null ? "" : normalizeLineEnds(body), topType, topCharset, topEncoding, multipart);
    }

    /** CRLF becomes LF: a plugin sees text lines, however the message or its encoding ended them. */
    static String normalizeLineEnds(String text) {
        return text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n");
    }

    private static String declaredCharset(BodyDescriptor d) {
        String cs = d.getCharset();
        return cs == null || cs.isBlank() ? null : cs.trim().toLowerCase(Locale.ROOT);
    }

    /** Decodes body bytes in their declared charset; unknown or absent: UTF-8 if valid, else windows-1252. */
    static String decodeText(InputStream in, String charsetName) throws IOException {
        byte[] raw = in.readAllBytes();
        Optional<Charset> cs = lookupCharset(charsetName);
        if (cs.isPresent() && !cs.get().equals(StandardCharsets.US_ASCII)) {
            return new String(raw, cs.get());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return new String(raw, lookupCharset("windows-1252").orElse(StandardCharsets.ISO_8859_1));
        }
    }

    static Optional<Charset> lookupCharset(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Charset.forName(name.replace("\"", "").trim()));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return Optional.empty();
        }
    }
}

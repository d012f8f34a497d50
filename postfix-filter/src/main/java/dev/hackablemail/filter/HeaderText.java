package dev.hackablemail.filter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Writes header fields that cannot inject anything: values with line breaks or control
 * characters are never written raw, non-ASCII text becomes RFC 2047 encoded-words, and long
 * values are folded so that no line passes 78 characters where a blank allows it (and never
 * 998).
 */
final class HeaderText {

    /** Headers whose values have a syntax (addresses, ids, dates): never RFC 2047-encoded. */
    private static final Set<String> STRUCTURED = Set.of(
            "from", "to", "cc", "bcc", "sender", "reply-to", "return-path", "message-id", "in-reply-to",
            "references", "date", "received", "resent-from", "resent-to", "resent-cc", "resent-bcc",
            "resent-sender", "resent-date", "resent-message-id", "delivered-to", "x-original-to",
            "content-type", "content-transfer-encoding", "content-disposition", "content-id", "mime-version",
            "dkim-signature", "arc-seal", "arc-message-signature", "authentication-results",
            "arc-authentication-results", "received-spf", "list-id", "list-post", "list-unsubscribe");

    /** Bytes of the longest line RFC 5322 allows, without its CRLF. */
    static final int MAX_LINE = 998;
    private static final int FOLD_AT = 78;
    /**
     * UTF-8 bytes per encoded-word: 39 bytes are 52 base64 characters, so that even the first
     * line ("Subject: =?UTF-8?B?...?=") stays within 78 characters.
     */
    private static final int WORD_BYTES = 39;

    private HeaderText() {}

    /** A name a header may have: printable ASCII without the colon, at most 76 characters. */
    static boolean validName(String name) {
        if (name.isEmpty() || name.length() > 76) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || c == ':') {
                return false;
            }
        }
        return true;
    }

    static boolean structured(String name) {
        return STRUCTURED.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Printable ASCII and blanks only: safe to write as is. */
    static boolean plainAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 32 && c != '\t') || c >= 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * A whole header field, {@code Name: value} and its final line separator, folded. Plain
     * ASCII values are folded at blanks; anything else (non-ASCII, control characters, a word
     * too long to fold) is written as UTF-8 encoded-words (RFC 2047), which decode back to
     * exactly {@code value}.
     *
     * @throws IllegalArgumentException when the value cannot be written faithfully: a
     *     structured header (addresses, ids, dates) that is not plain ASCII or cannot be folded
     */
    static String field(String name, String value, String lineSeparator) {
        if (!validName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid header name");
        }
        String folded = plainAscii(value) ? foldAscii(name, value, lineSeparator) : null;
        if (folded != null) {
            return folded;
        }
        if (structured(name)) {
            throw new IllegalArgumentException(name + " has a syntax of its own: its value must be plain ASCII on "
                    + "lines of at most " + MAX_LINE + " characters");
        }
        return name + ":" + encodedWords(value, lineSeparator) + lineSeparator;
    }

    /**
     * Folds before a run of blanks; null when a line would still pass 998 characters. A fold
     * point is where a run of blanks meets the word after it, and the run stays whole with
     * that word, so no line ends in blanks and no continuation line is blanks only (RFC 5322
     * section 3.2.2 forbids generating such obs-FWS); blanks at the very end stay on the last
     * line.
     */
    private static String foldAscii(String name, String value, String lineSeparator) {
        StringBuilder out = new StringBuilder(name.length() + value.length() + 16);
        out.append(name).append(':');
        int lineLength = out.length();
        String v = value.isEmpty() || isBlank(value.charAt(0)) ? value : " " + value;
        int i = 0;
        while (i < v.length()) {
            int next = i;
            while (next < v.length() && isBlank(v.charAt(next))) {
                next++;
            }
            boolean wordFollows = next < v.length();
            while (next < v.length() && !isBlank(v.charAt(next))) {
                next++;
            }
            String chunk = v.substring(i, next); // blanks and the word after them (or the first word)
            if (lineLength + chunk.length() > FOLD_AT && lineLength > name.length() + 1 && isBlank(chunk.charAt(0))
                    && wordFollows) {
                out.append(lineSeparator);
                lineLength = 0;
            }
            if (lineLength + chunk.length() > MAX_LINE) {
                return null;
            }
            out.append(chunk);
            lineLength += chunk.length();
            i = next;
        }
        return out.append(lineSeparator).toString();
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * {@code value} as a run of {@code =?UTF-8?B?...?=} words, one per line after the first
     * (each line starts with a blank, as folding wants). Words never split a character.
     */
    static String encodedWords(String value, String lineSeparator) {
        StringBuilder out = new StringBuilder();
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        boolean first = true;
        while (start < utf8.length || first) {
            int end = Math.min(start + WORD_BYTES, utf8.length);
            while (end < utf8.length && end > start && (utf8[end] & 0xC0) == 0x80) {
                end--; // do not cut a UTF-8 sequence
            }
            if (!first) {
                out.append(lineSeparator);
            }
            out.append(" =?UTF-8?B?")
                    .append(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(utf8, start, end)))
                    .append("?=");
            start = end;
            first = false;
        }
        return out.toString();
    }
}

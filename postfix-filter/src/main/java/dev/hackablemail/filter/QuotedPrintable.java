package dev.hackablemail.filter;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The quoted-printable transfer encoding (RFC 2045 6.7), for bodies the filter writes. */
final class QuotedPrintable {

    /** Encoded lines stay within 76 characters, the soft line break's "=" included. */
    private static final int MAX_COLUMN = 75;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private QuotedPrintable() {}

    /**
     * Encodes text lines (without their line ends) in {@code charset}; hard line breaks
     * become {@code lineSeparator}. Blanks at the end of a line, "=", control characters and
     * 8-bit bytes are written as {@code =XX}.
     */
    static byte[] encode(List<String> lines, Charset charset, String lineSeparator) {
        StringBuilder out = new StringBuilder();
        for (int li = 0; li < lines.size(); li++) {
            byte[] b = lines.get(li).getBytes(charset);
            int column = 0;
            for (int i = 0; i < b.length; i++) {
                int x = b[i] & 0xff;
                boolean literal = (x >= 33 && x <= 126 && x != '=') || ((x == ' ' || x == '\t') && i < b.length - 1);
                int width = literal ? 1 : 3;
                if (column + width > MAX_COLUMN) {
                    out.append('=').append(lineSeparator);
                    column = 0;
                }
                if (literal) {
                    out.append((char) x);
                } else {
                    out.append('=').append(HEX[x >> 4]).append(HEX[x & 15]);
                }
                column += width;
            }
            if (li < lines.size() - 1) {
                out.append(lineSeparator);
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}

package dev.hackablemail.filter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An envelope address as Postfix passed it on the command line: its exact bytes (what goes
 * back to sendmail) and its text (what the plugin, the reply and the log see: UTF-8 where
 * the bytes are valid UTF-8, else ISO-8859-1, as for raw header bytes). Postfix passes
 * addresses as bytes; a sender with a byte 0xFF must reach sendmail as 0xFF, not as the
 * UTF-8 of U+FFFD.
 */
public record EnvelopeAddress(String text, byte[] bytes) {

    public EnvelopeAddress {
        bytes = bytes.clone();
    }

    /** The address Postfix passed as these bytes. */
    public static EnvelopeAddress ofBytes(byte[] raw) {
        return new EnvelopeAddress(MailMessage.decodeHeaderBytes(raw, 0, raw.length), raw);
    }

    /** An address known only as text: its bytes are its UTF-8. */
    public static EnvelopeAddress ofText(String text) {
        return new EnvelopeAddress(text, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether the bytes are not simply the UTF-8 of the text (only then they need carrying along). */
    boolean bytesDifferFromText() {
        return !Arrays.equals(bytes, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvelopeAddress a && a.text.equals(text) && Arrays.equals(a.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.hackablemail.filter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The sample messages under {@code src/test/resources/mail}. */
final class Mails {

    private Mails() {}

    static byte[] bytes(String name) {
        try (InputStream in = Mails.class.getResourceAsStream("/mail/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample mail/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MailMessage parse(String name) {
        return MailMessage.parse(bytes(name));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The body part of a message: everything after the first empty line. */
    static byte[] bodyOf(byte[] message) {
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\n' && message[i + 1] == '\n') {
                return java.util.Arrays.copyOfRange(message, i + 2, message.length);
            }
            if (message[i] == '\n' && message[i + 1] == '\r' && i + 2 < message.length && message[i + 2] == '\n') {
                return java.util.Arrays.copyOfRange(message, i + 3, message.length);
            }
        }
        return new byte[0];
    }
}

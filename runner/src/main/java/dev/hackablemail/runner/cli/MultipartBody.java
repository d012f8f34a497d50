package dev.hackablemail.runner.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A {@code multipart/form-data} body of files (RFC 7578), as a push with its simulations is
 * sent: Java's HTTP client has no multipart support, and a push needs only file parts.
 */
final class MultipartBody {

    private final String boundary = "xtp-sim-" + HexFormat.of().formatHex(randomBytes());
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Adds the file as part {@code name}, under its own file name. */
    MultipartBody file(String name, Path file) throws PluginClient.ClientException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PluginClient.ClientException(file + ": no such file");
        } catch (IOException e) {
            throw new PluginClient.ClientException(file + " cannot be read: " + e.getMessage());
        }
        String fileName = file.getFileName().toString().replace("\"", "").replace("\r", "").replace("\n", "");
        write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.writeBytes(bytes);
        write("\r\n");
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    byte[] bytes() {
        ByteArrayOutputStream done = new ByteArrayOutputStream();
        done.writeBytes(body.toByteArray());
        done.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return done.toByteArray();
    }

    private void write(String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}

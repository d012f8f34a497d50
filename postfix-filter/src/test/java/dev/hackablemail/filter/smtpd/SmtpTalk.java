package dev.hackablemail.filter.smtpd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw SMTP conversation for the tests: each command's reply (its last line), nothing hidden. */
final class SmtpTalk implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    final String greeting;

    SmtpTalk(SmtpdConfig.HostPort server) throws IOException {
        socket = new Socket(server.host(), server.port());
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        greeting = reply();
    }

    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    /** MAIL, RCPT, DATA and the message; the reply to the end of DATA (or the first refusal). */
    String send(String from, String to, byte[] message) throws IOException {
        for (String c : new String[] {"MAIL FROM:<" + from + ">", "RCPT TO:<" + to + ">", "DATA"}) {
            String r = command(c);
            if (!r.startsWith("250") && !r.startsWith("354")) {
                return r;
            }
        }
        out.write(dotStuffed(message));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /** One whole message over one new connection; the reply to its DATA. */
    static String sendOne(SmtpdConfig.HostPort server, String from, String to, byte[] message) throws IOException {
        try (SmtpTalk talk = new SmtpTalk(server)) {
            talk.command("EHLO test.local");
            return talk.send(from, to, message);
        }
    }

    /** Waits at most {@code millis} for each reply from now on (a client that gives up). */
    SmtpTalk timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    /** Writes bytes as they are, reading nothing. */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Cuts the connection without QUIT. */
    void cut() throws IOException {
        socket.close();
    }

    /** The next reply (its last line). */
    String reply() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                return "(connection closed)";
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    /** CRLF lines (as SMTP carries them), a leading dot doubled. The message must end with CRLF. */
    static byte[] dotStuffed(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        return text.replace("\r\n.", "\r\n..").replaceFirst("^\\.", "..").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** LF or CRLF text to CRLF bytes, as a message arrives over SMTP. */
    static byte[] crlf(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        if (!text.endsWith("\r\n")) {
            text += "\r\n";
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // already closed by the server
        }
        socket.close();
    }
}

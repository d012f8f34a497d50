package dev.hackablemail.filter.smtpd;

import dev.hackablemail.filter.OneLine;
import dev.hackablemail.filter.Reinjection;
import dev.hackablemail.filter.SysExits;
import dev.hackablemail.runner.report.Reasons;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Re-injection over SMTP into the Postfix smtpd that has no content filter (FILTER_README's
 * 127.0.0.1:10026), with Jakarta Mail's SMTP transport: the message's bytes go out as they
 * came in (only dot-stuffed on the wire), under the envelope given, {@code BODY=8BITMIME}
 * when they hold 8-bit bytes and {@code SMTPUTF8} when an address is not ASCII.
 *
 * <p>Connections are kept open between messages (one per session at most, like Postfix's
 * own connection cache); one that sat idle is checked with NOOP before it is used again. A
 * failure closes the connection; a 4xx or a lost connection is {@link SysExits#TEMPFAIL}, a
 * 5xx {@link SysExits#UNAVAILABLE}, each with the server's words. Either way the message the
 * daemon handles is answered with 4xx, so Postfix keeps it.
 */
public final class SmtpReinjection implements Reinjection, AutoCloseable {

    /** A connection idle longer than this is checked with NOOP before it carries mail. */
    private static final long CHECK_AFTER_IDLE_NANOS = Duration.ofSeconds(2).toNanos();

    private final SmtpdConfig.HostPort server;
    private final Session ascii;
    private final Session utf8;
    private final int maxIdle;
    private final BlockingDeque<Connection> idle = new LinkedBlockingDeque<>();
    private volatile boolean closed;

    /** A connection, the local port it has (how the policy hop finds its message), when it was last used. */
    private record Connection(SMTPTransport transport, int localPort, long lastUsed) {}

    /**
     * @param server the re-injection server
     * @param heloName the name this client gives in EHLO
     * @param timeout connecting, and waiting for each answer or for a write
     * @param maxIdle how many idle connections to keep
     */
    public SmtpReinjection(SmtpdConfig.HostPort server, String heloName, Duration timeout, int maxIdle) {
        this.server = server;
        this.maxIdle = maxIdle;
        this.ascii = Session.getInstance(properties(heloName, timeout, false));
        this.utf8 = Session.getInstance(properties(heloName, timeout, true));
    }

    private static Properties properties(String heloName, Duration timeout, boolean utf8) {
        Properties p = new Properties();
        String ms = Long.toString(timeout.toMillis());
        p.setProperty("mail.smtp.connectiontimeout", ms);
        p.setProperty("mail.smtp.timeout", ms);
        // A server that stops reading must not hold a session forever: writes time out too
        // (one shared timer thread, not Jakarta Mail's default of one per connection).
        p.setProperty("mail.smtp.writetimeout", ms);
        p.put("mail.smtp.executor.writetimeout", WRITE_TIMEOUTS);
        p.setProperty("mail.smtp.localhost", heloName);
        p.setProperty("mail.smtp.quitwait", "false");
        // Never rewrite the message (8BITMIME conversion would re-encode its parts).
        p.setProperty("mail.smtp.allow8bitmime", "false");
        p.setProperty("mail.mime.allowutf8", Boolean.toString(utf8));
        // The end of DATA is a small write after a large one: without TCP_NODELAY, Nagle's
        // algorithm holds it until the server's delayed ACK (up to 40 ms a message).
        p.put("mail.smtp.socketFactory", NO_DELAY);
        return p;
    }

    private static final ScheduledExecutorService WRITE_TIMEOUTS =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "smtp-write-timeouts");
                t.setDaemon(true);
                return t;
            });

    private static final javax.net.SocketFactory NO_DELAY = new javax.net.SocketFactory() {
        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            CREATED.set(socket); // Jakarta Mail connects it on this thread, in connect()
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new UnsupportedOperationException("unconnected sockets only");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress local,
                int localPort) {
            throw new UnsupportedOperationException("unconnected sockets only");
        }
    };

    /** The socket {@link #NO_DELAY} made last on this thread: the local port of a new connection. */
    private static final ThreadLocal<Socket> CREATED = new ThreadLocal<>();

    @Override
    public Result deliver(String sender, String recipient, byte[] message) {
        return send(sender, recipient, message, Watch.NONE);
    }

    /** What a delivery is told while it is sent (the policy hop's {@link HandOvers.HandOver}). */
    public interface Watch {
        Watch NONE = new Watch() {
            @Override
            public void via(int localPort) {}

            @Override
            public void refused(int replyCode) {}
        };

        /** The local port of the connection that carries the message, before it is sent on it. */
        void via(int localPort);

        /**
         * The server answered with this 4xx or 5xx reply: it did not take the message. Not
         * told when no answer came (a timeout, a lost connection): then it may have taken it.
         */
        void refused(int replyCode);
    }

    /** {@link #deliver}, telling {@code watch} the connection that carries the message and the server's refusal. */
    public Result deliver(String sender, String recipient, byte[] message, Watch watch) {
        return send(sender, recipient, message, watch);
    }

    @Override
    public Result reply(String recipient, byte[] message) {
        return send("", recipient, message, Watch.NONE);
    }

    private Result send(String sender, String recipient, byte[] message, Watch watch) {
        boolean utf8 = !isAscii(sender) || !isAscii(recipient);
        Connection connection = null;
        try {
            // SMTPUTF8 mail is rare: it gets a connection of its own, never pooled.
            connection = utf8 ? connect(this.utf8) : take();
            SMTPTransport transport = connection.transport();
            watch.via(connection.localPort());
            RawMessage raw = new RawMessage(utf8 ? this.utf8 : ascii, message);
            raw.setEnvelopeFrom(sender.isEmpty() ? "<>" : sender);
            raw.setMailExtension(has8Bit(message) && transport.supportsExtension("8BITMIME") ? "BODY=8BITMIME" : null);
            InternetAddress to = new InternetAddress();
            to.setAddress(recipient); // as given: the envelope is Postfix's, already checked
            transport.sendMessage(raw, new Address[] {to});
            if (utf8) {
                closeQuietly(transport);
            } else {
                release(connection);
            }
            return Result.OK;
        } catch (MessagingException | RuntimeException e) {
            if (connection != null) {
                closeQuietly(connection.transport());
            }
            int reply = replyCode(e);
            if (reply >= 400) {
                watch.refused(reply);
            }
            String said = describe(e);
            return new Result(reply >= 500 && reply < 600 ? SysExits.UNAVAILABLE : SysExits.TEMPFAIL,
                    "re-injection to " + server + " failed: " + said);
        }
    }

    /** A pooled connection (checked with NOOP when it sat idle), or a new one. */
    private Connection take() throws MessagingException {
        for (Connection c; (c = idle.pollFirst()) != null;) {
            if (System.nanoTime() - c.lastUsed() < CHECK_AFTER_IDLE_NANOS || c.transport().isConnected()) {
                return c;
            }
            closeQuietly(c.transport());
        }
        return connect(ascii);
    }

    private Connection connect(Session session) throws MessagingException {
        SMTPTransport transport = (SMTPTransport) session.getTransport("smtp");
        CREATED.remove();
        try {
            transport.connect(server.host(), server.port(), null, null);
            Socket socket = CREATED.get();
            return new Connection(transport, socket == null ? -1 : socket.getLocalPort(), System.nanoTime());
        } finally {
            CREATED.remove();
        }
    }

    private void release(Connection connection) {
        if (closed || idle.size() >= maxIdle) {
            closeQuietly(connection.transport());
        } else {
            idle.offerFirst(new Connection(connection.transport(), connection.localPort(), System.nanoTime()));
        }
    }

    /** Ends every idle connection (QUIT); connections in use end when their message is done. */
    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.pollFirst()) != null;) {
            closeQuietly(c.transport());
        }
    }

    private static void closeQuietly(SMTPTransport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException ignored) {
            // the connection is gone either way
        }
    }

    /** The re-injection server's reply code in a failure, or 0 when it gave none (a lost connection). */
    private static int replyCode(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (t instanceof SMTPSenderFailedException s) {
                return s.getReturnCode();
            }
            if (t instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
                return s.getReturnCode();
            }
        }
        return 0;
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 300; t = next(t)) {
            String m = t.getMessage() == null ? Reasons.of(t) : t.getMessage();
            if (text.indexOf(m.trim()) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(m.trim());
            }
        }
        return OneLine.withoutControls(text.toString());
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The message read eight bytes at a time: its whole length is scanned for every delivery. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    static boolean has8Bit(byte[] message) {
        int i = 0;
        for (; i + Long.BYTES <= message.length; i += Long.BYTES) {
            if (((long) LONGS.get(message, i) & HIGH_BITS) != 0) {
                return true;
            }
        }
        for (; i < message.length; i++) {
            if (message[i] < 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "smtp:" + server;
    }

    /** A message that is written out as the bytes it was made from, never re-serialized. */
    private static final class RawMessage extends SMTPMessage {
        private final byte[] bytes;

        RawMessage(Session session, byte[] bytes) {
            super(session);
            this.bytes = bytes;
        }

        @Override
        public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
            os.write(bytes);
        }

        @Override
        public void writeTo(OutputStream os) throws IOException {
            os.write(bytes);
        }
    }
}

package dev.hackablemail.filter.smtpd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

/**
 * One SMTP mail transaction from Postfix's content-filter client: MAIL, exactly one RCPT
 * (a plugin decides per recipient and DATA has one answer for all, so further recipients get
 * 452 and Postfix tries them again in a later transaction; the recommended
 * {@code _destination_recipient_limit = 1} makes that never happen), DATA answered only once
 * the message went through the filter.
 */
final class FilterTransaction implements MessageHandler {

    private final ContentFilterDaemon daemon;
    private final MessageContext context;
    private final long maxMessageSize;
    private String sender;
    private String recipient;
    private boolean counted;
    /** The bytes this transaction holds in the daemon's budget ({@link BytesInFlight}). */
    private long held;
    /** The BDAT chunks so far (at most one byte over the size limit: the rest is read and dropped). */
    private java.io.ByteArrayOutputStream chunks;

    FilterTransaction(ContentFilterDaemon daemon, MessageContext context, long maxMessageSize) {
        this.daemon = daemon;
        this.context = context;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void from(String address) throws RejectException {
        if (daemon.draining()) {
            throw new DropConnectionException(421, "4.3.2 " + daemon.hostName() + " shutting down, try again later");
        }
        int declared = context instanceof Session session ? session.getDeclaredMessageSize() : 0;
        if (declared > 0 && declared <= maxMessageSize) {
            if (!daemon.bytesInFlight().tryTake(declared)) {
                throw new RejectException(452, "4.3.1 " + busy());
            }
            held = declared;
        }
        sender = address;
        daemon.metrics().transactions().incrementAndGet();
        counted = true;
    }

    @Override
    public void recipient(String address) throws RejectException {
        if (recipient != null) {
            throw new RejectException(452, "4.5.3 one recipient per transaction: each recipient's plugin decides"
                    + " for that recipient (set the content filter transport's _destination_recipient_limit = 1)");
        }
        recipient = address;
    }

    @Override
    public String data(InputStream in) throws RejectException, IOException {
        byte[] message = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxMessageSize + 1));
        in.transferTo(OutputStream.nullOutputStream()); // a too large message: read to its end, then refused
        chunks = null;
        int bare = bareLineBreak(message);
        SmtpReply reply;
        if (bare >= 0) {
            reply = bareLineBreakRefusal(message, bare);
        } else if (!hold(message.length)) {
            reply = new SmtpReply(451, "4.3.1 " + busy());
        } else {
            reply = daemon.filter().handle(sender, recipient, message);
        }
        if (reply.accepted()) {
            return reply.text();
        }
        // subethasmtp keeps the transaction open after a refused DATA; RFC 5321 ends it, and
        // Postfix sends the next MAIL without RSET on a reused connection.
        if (context instanceof Session session) {
            session.resetMailTransaction();
        } else {
            throw new DropConnectionException(reply.code(), reply.text());
        }
        throw new RejectException(reply.code(), reply.text());
    }

    /** Holds exactly {@code size} bytes against the budget (more when the message is larger than declared). */
    private boolean hold(long size) {
        if (size > held && !daemon.bytesInFlight().tryTake(size - held)) {
            return false;
        }
        if (size < held) {
            daemon.bytesInFlight().release(held - size);
        }
        held = size;
        return true;
    }

    private String busy() {
        return "hackable-email: " + daemon.hostName() + " holds " + daemon.bytesInFlight().held()
                + " bytes of mail now (smtpd.max_bytes_in_flight " + daemon.bytesInFlight().limit()
                + "): try again later";
    }

    /** Keeps {@code n} bytes of a BDAT chunk ({@link BdatCommand}). */
    void chunk(byte[] bytes, int n) {
        if (chunks == null) {
            chunks = new java.io.ByteArrayOutputStream();
        }
        long room = Math.min(Integer.MAX_VALUE - 16, maxMessageSize + 1) - chunks.size();
        chunks.write(bytes, 0, (int) Math.max(0, Math.min(room, n)));
    }

    /** The BDAT chunks received in this transaction. */
    byte[] chunks() {
        return chunks == null ? new byte[0] : chunks.toByteArray();
    }

    /**
     * Where the message has a CR not followed by LF or an LF not after a CR, or -1. Such a
     * byte is a line break to some readers and not to others: re-injected over SMTP it would
     * become one (RFC 5321 allows CR and LF only together), so a field the sender never
     * wrote could appear in the header. Refused, as Postfix's smtpd_forbid_bare_newline does.
     */
    static int bareLineBreak(byte[] message) {
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == '\r' && (i + 1 == message.length || message[i + 1] != '\n')) {
                return i;
            }
            if (b == '\n' && (i == 0 || message[i - 1] != '\r')) {
                return i;
            }
        }
        return -1;
    }

    private SmtpReply bareLineBreakRefusal(byte[] message, int at) {
        String what = message[at] == '\r' ? "CR" : "LF";
        daemon.refusedBareLineBreak(sender, recipient, message.length, what, at);
        return new SmtpReply(550, "5.5.2 hackable-email: bare " + what + " at byte " + at
                + " of the message: every line must end with CR LF (the message is refused, not altered)");
    }

    @Override
    public void done() {
        if (held > 0) {
            daemon.bytesInFlight().release(held);
            held = 0;
        }
        if (counted) {
            counted = false;
            daemon.metrics().transactions().decrementAndGet();
        }
    }
}

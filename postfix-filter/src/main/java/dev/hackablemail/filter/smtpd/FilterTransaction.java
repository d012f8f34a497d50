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
        SmtpReply reply = daemon.filter().handle(sender, recipient, message);
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

    @Override
    public void done() {
        if (counted) {
            counted = false;
            daemon.metrics().transactions().decrementAndGet();
        }
    }
}

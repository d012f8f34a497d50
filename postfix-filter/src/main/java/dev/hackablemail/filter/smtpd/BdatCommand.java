package dev.hackablemail.filter.smtpd;

import dev.hackablemail.filter.FilterLog;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.util.SMTPResponseHelper;
import org.subethamail.smtp.server.Session;

/**
 * CHUNKING (RFC 3030) read chunk by chunk: each {@code BDAT n} chunk is read whole (a
 * connection cut inside one ends the session), kept by the transaction, and answered 250;
 * the message goes to the filter only with the chunk of an accepted {@code BDAT n LAST}.
 * subethasmtp's own BDAT hands the filter a stream that ends quietly where the connection
 * was cut, so a cut transaction was delivered in part.
 */
final class BdatCommand extends BaseCommand {

    private final FilterLog log;

    BdatCommand(FilterLog log) {
        super("BDAT", "A sequence of BDAT chunks is the message; BDAT <size> LAST ends it.", "<size> [LAST]");
        this.log = log;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        String[] words = commandString.trim().split(" +");
        long size = -1;
        boolean last = words.length == 3 && words[2].equalsIgnoreCase("LAST");
        if ((words.length == 2 || last) && words[1].matches("[0-9]{1,18}")) {
            size = Long.parseLong(words[1]);
        }
        if (size < 0) {
            // the chunk's length is unknown, so the rest of the stream cannot be read as commands
            throw new DropConnectionException(501, "5.5.4 Syntax: BDAT <size> [LAST]");
        }
        boolean inTransaction = session.isMailTransactionInProgress() && session.getRecipientCount() > 0
                && session.getMessageHandler() instanceof FilterTransaction;
        FilterTransaction transaction = inTransaction ? (FilterTransaction) session.getMessageHandler() : null;
        try {
            readChunk(session.getRawInput(), size, transaction);
        } catch (EOFException e) {
            // The client's doing, said in one line: thrown on, the SMTP library would log a stack trace.
            log.line("smtpd: " + e.getMessage() + " (client " + session.getRemoteAddress() + ")");
            session.quit();
            return;
        }
        if (transaction == null) {
            session.sendResponse(session.isMailTransactionInProgress() ? "503 5.5.1 Error: need RCPT command"
                    : "503 5.5.1 Error: need MAIL command");
            return;
        }
        if (!last) {
            session.sendResponse("250 2.0.0 " + size + " octets received");
            return;
        }
        String answer;
        try {
            answer = transaction.data(new ByteArrayInputStream(transaction.chunks()));
        } catch (DropConnectionException e) {
            throw e;
        } catch (RejectException e) {
            session.sendResponse(e.getErrorResponse()); // data() ended the transaction already
            return;
        }
        session.sendResponse(SMTPResponseHelper.buildResponse("250", answer));
        session.resetMailTransaction();
    }

    /** Reads exactly {@code size} bytes into the transaction (or nowhere); a cut connection is an EOFException. */
    private static void readChunk(InputStream in, long size, FilterTransaction into) throws IOException {
        byte[] buffer = new byte[(int) Math.min(64 * 1024, Math.max(1, size))];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("the connection ended inside a BDAT chunk: " + left + " of " + size
                        + " bytes missing; nothing is delivered");
            }
            if (into != null) {
                into.chunk(buffer, n);
            }
            left -= n;
        }
    }
}

package dev.hackablemail.filter.smtpd;

import java.io.IOException;
import java.util.Locale;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.Session;

/**
 * MAIL FROM with a {@code SIZE=} parameter larger than subethasmtp can parse (it reads an
 * {@code int}, and a NumberFormatException ends the session with 421): answered 552 here, as
 * any declared size over the limit is, and the session goes on. Everything else is the
 * library's own MAIL command.
 */
final class MailSizeCommand implements Command {

    private final Command mail;
    private final long maxMessageSize;

    MailSizeCommand(Command mail, long maxMessageSize) {
        this.mail = mail;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        if (!session.isMailTransactionInProgress() && declaredSizeTooLarge(commandString, maxMessageSize)) {
            session.sendResponse("552 5.3.4 Message size exceeds fixed limit");
            return;
        }
        mail.execute(commandString, session);
    }

    /** Whether the command declares {@code SIZE=} digits beyond {@code max} (or beyond a long). */
    static boolean declaredSizeTooLarge(String commandString, long max) {
        for (String word : commandString.trim().split(" +")) {
            String upper = word.toUpperCase(Locale.ROOT);
            if (upper.startsWith("SIZE=")) {
                String digits = word.substring("SIZE=".length());
                if (!digits.matches("[0-9]+")) {
                    return false; // the library answers it
                }
                String significant = digits.replaceFirst("^0+(?=.)", "");
                return significant.length() > 18 || Long.parseLong(significant) > max;
            }
        }
        return false;
    }

    @Override
    public HelpMessage getHelp() throws org.subethamail.smtp.internal.server.CommandException {
        return mail.getHelp();
    }

    @Override
    public String getName() {
        return mail.getName();
    }
}

package dev.hackablemail.filter.smtpd;

import dev.hackablemail.filter.OneLine;
import dev.hackablemail.filter.SysExits;

/**
 * The answer to DATA for a filter exit code, as Postfix's pipe(8) would have read the same
 * code (sys_exits): 0 is 250, {@link SysExits#TEMPFAIL} and {@link SysExits#OSERR} are 451
 * (Postfix keeps the mail and retries), every other code a 5xx bounce with the enhanced
 * status code that says what the code means.
 *
 * @param code the SMTP reply code
 * @param text the enhanced status code and the reason, one line
 */
public record SmtpReply(int code, String text) {

    /** The longest reason put in a reply line (RFC 5321 allows 512 octets a line). */
    private static final int MAX_REASON = 400;

    public boolean accepted() {
        return code / 100 == 2;
    }

    /** The reply for a filter's exit code and its one-line reason (null: a generic one). */
    public static SmtpReply forExit(int exit, String reason) {
        if (exit == SysExits.OK) {
            return new SmtpReply(250, "2.0.0 Ok: " + (reason == null ? "handled" : clean(reason)));
        }
        String why = reason == null ? "hackable-email: exit " + exit : clean(reason);
        return switch (exit) {
            case SysExits.TEMPFAIL, SysExits.OSERR -> new SmtpReply(451, "4.3.0 " + why);
            case SysExits.DATAERR -> new SmtpReply(554, "5.6.0 " + why);
            case SysExits.NOUSER -> new SmtpReply(550, "5.1.1 " + why);
            case SysExits.NOHOST -> new SmtpReply(550, "5.1.2 " + why);
            case SysExits.CANTCREAT -> new SmtpReply(554, "5.2.0 " + why);
            case SysExits.PROTOCOL -> new SmtpReply(554, "5.5.0 " + why);
            case SysExits.NOPERM -> new SmtpReply(550, "5.7.1 " + why);
            case SysExits.CONFIG -> new SmtpReply(554, "5.3.5 " + why);
            default -> new SmtpReply(554, "5.3.0 " + why);
        };
    }

    /** One printable line, short enough for a reply. */
    private static String clean(String reason) {
        String one = OneLine.withoutControls(reason).trim();
        return one.length() > MAX_REASON ? one.substring(0, MAX_REASON) + "..." : one;
    }

    @Override
    public String toString() {
        return code + " " + text;
    }
}

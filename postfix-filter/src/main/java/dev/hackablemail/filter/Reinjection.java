package dev.hackablemail.filter;

/**
 * How the filter hands mail back to the mail system, whatever the transport: the pipe filter
 * runs sendmail ({@link SendmailReinjection}), the content-filter daemon speaks SMTP to a
 * Postfix listener without content filter ({@code smtpd.SmtpReinjection}). Everything above
 * this (parsing, the plugin call, deliver/reply rules, RFC 3834, the store, the log) is shared.
 */
public interface Reinjection {

    /**
     * Re-injects a message for one recipient with the original envelope sender ({@code ""}
     * for the null sender). Never throws: a failure is a result.
     */
    Result deliver(String sender, String recipient, byte[] message);

    /** Sends an answer to {@code recipient} with the null envelope sender (RFC 3834). Never throws. */
    Result reply(String recipient, byte[] message);

    /**
     * @param code 0 when the mail system took the message; else a sysexits code
     *     ({@link SysExits#TEMPFAIL} for a temporary failure), as sendmail would exit
     * @param detail a short description of a failure (the mail system's own words where it said any)
     */
    record Result(int code, String detail) {
        public static final Result OK = new Result(0, "");

        public boolean ok() {
            return code == 0;
        }
    }
}

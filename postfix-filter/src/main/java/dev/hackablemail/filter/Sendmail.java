package dev.hackablemail.filter;

import java.util.List;

/**
 * Hands a message to the mail system: {@code sendmail ARGS} with the message on standard
 * input. The production implementation is {@link SendmailCommand}; the bench uses an
 * in-process one that only counts.
 */
public interface Sendmail {

    /**
     * Runs one submission. Never throws: a sendmail that cannot be started, times out or is
     * killed is a result like any other (with {@link SysExits#TEMPFAIL}).
     */
    Result send(List<String> args, byte[] message);

    /**
     * @param exitCode sendmail's exit code (0: the mail system took the message)
     * @param detail a short description of a failure (sendmail's own words where it said any)
     */
    record Result(int exitCode, String detail) {
        public static final Result OK = new Result(0, "");

        public boolean ok() {
            return exitCode == 0;
        }
    }
}

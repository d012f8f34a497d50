package dev.hackablemail.filter;

/**
 * How the filter ends for one message.
 *
 * @param exitCode what the process exits with (sysexits; see {@link Filter})
 * @param reason the one short line for standard error when the code is not 0 (Postfix puts it
 *     in the bounce or the deferral reason); null for none
 * @param log the message's log line
 */
public record Outcome(int exitCode, String reason, String log) {}

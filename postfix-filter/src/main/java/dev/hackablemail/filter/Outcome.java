package dev.hackablemail.filter;

/**
 * How the filter ends for one message.
 *
 * @param exitCode what the process exits with (sysexits; see {@link Filter}); the daemon turns
 *     it into an SMTP reply
 * @param reason the one short line for standard error when the code is not 0 (Postfix puts it
 *     in the bounce or the deferral reason); null for none
 * @param log the message's log line
 * @param pluginNanos the wall time of the plugin's {@code onEmail} (deliver and reply
 *     included); 0 when no plugin ran
 */
public record Outcome(int exitCode, String reason, String log, long pluginNanos) {

    public Outcome(int exitCode, String reason, String log) {
        this(exitCode, reason, log, 0);
    }
}

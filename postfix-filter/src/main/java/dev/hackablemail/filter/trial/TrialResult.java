package dev.hackablemail.filter.trial;

import dev.hackablemail.filter.MailMessage;
import dev.hackablemail.onemail.IncomingEmail;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the filter would do with one message, as {@link MailTrial} found out without sending
 * anything. The fields come in the order {@code hackable-email try} prints them.
 *
 * @param input the mail as the plugin's {@code onEmail} received it (null: no plugin ran)
 * @param hostCalls each call the plugin made to the host, in order
 * @param delivery what would be handed to the recipient's mailbox (null: nothing)
 * @param answer the reply (or, to the signup address, the invitation) exactly as it would be
 *     sent (null: none)
 * @param suppressed why an answer the plugin asked for would not be sent (null: none was)
 * @param refused what the host refused to do as the plugin asked (changes to the mail it cannot
 *     apply faithfully, a reply it cannot send as given), and why
 * @param pluginLog the lines the plugin logged
 * @param exitCode what the filter would exit with (sysexits; the daemon's SMTP reply follows it)
 * @param decision what Postfix would do with the mail then
 * @param reason the filter's one-line reason when the exit code is not 0 (null otherwise)
 * @param logLine the filter's log line for the message
 */
public record TrialResult(
        IncomingEmail input,
        List<HostCall> hostCalls,
        Delivery delivery,
        Answer answer,
        Suppression suppressed,
        List<Refusal> refused,
        List<LogLine> pluginLog,
        int exitCode,
        Decision decision,
        String reason,
        String logLine) {

    public TrialResult {
        hostCalls = List.copyOf(hostCalls);
        refused = List.copyOf(refused);
        pluginLog = List.copyOf(pluginLog);
    }

    /** What happens to the mail. */
    public enum Decision {
        /** Handed to the recipient's mailbox (exit 0). */
        DELIVERED,
        /** Neither delivered nor bounced: the plugin returned 0 without delivering, or a signup was answered (exit 0). */
        DROPPED,
        /** Postfix returns it to the sender (64..78 but 75). */
        BOUNCED,
        /** Postfix keeps it and tries again (75: a failure of ours). */
        DEFERRED;

        static Decision of(int exitCode, boolean delivered) {
            if (exitCode == 75) {
                return DEFERRED;
            }
            if (exitCode != 0) {
                return BOUNCED;
            }
            return delivered ? DELIVERED : DROPPED;
        }
    }

    /**
     * One host function call.
     *
     * @param function {@code deliver} or {@code reply}
     * @param payload the JSON the plugin passed, as text
     * @param answer what the host answered (a return code), null when the call failed the plugin
     * @param failure why the call failed the plugin (a contract violation), null when it was answered
     */
    public record HostCall(String function, String payload, Integer answer, String failure) {}

    /**
     * The message that would be delivered.
     *
     * @param sender the envelope sender it would be re-injected with
     * @param recipient the envelope recipient
     * @param bytes the message: the original bytes, with the plugin's header changes if any
     * @param removedFields header fields of the original that would be gone (raw, unfolded)
     * @param addedFields header fields that would be new (raw, unfolded)
     * @param bodyChanged whether the body differs from the original's
     */
    public record Delivery(String sender, String recipient, byte[] bytes, List<String> removedFields,
            List<String> addedFields, boolean bodyChanged) {
        public Delivery {
            removedFields = List.copyOf(removedFields);
            addedFields = List.copyOf(addedFields);
        }

        /** The original bytes exactly. */
        public boolean unchanged() {
            return removedFields.isEmpty() && addedFields.isEmpty() && !bodyChanged;
        }
    }

    /**
     * An answer to the sender as it would be sent, with the null envelope sender.
     *
     * @param kind {@code reply} (the plugin's) or {@code invitation} (the signup address's)
     * @param recipient whom it would go to (the original sender)
     * @param bytes the message exactly as it would be handed to the mail system
     */
    public record Answer(String kind, String recipient, byte[] bytes) {

        /** The message as text (it is 7-bit: its header is encoded, its body quoted-printable). */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** Its decoded header fields, in order. */
        public Map<String, String> headers() {
            return MailMessage.parse(bytes).headers();
        }

        /** Its decoded Subject. */
        public String subject() {
            return MailMessage.parse(bytes).header("Subject");
        }

        /** Its decoded body text. */
        public String body() {
            return MailMessage.parse(bytes).body();
        }
    }

    /**
     * An answer that would not be sent.
     *
     * @param kind {@code reply} or {@code invitation}
     * @param rule the rule that suppresses it (RFC 3834 / RFC 5230, or the ledger's period)
     */
    public record Suppression(String kind, String rule) {}

    /**
     * Something the plugin asked for that the host refused (the call answered 65, EX_DATAERR).
     *
     * @param function {@code deliver}, {@code reply} or {@code invitation}
     * @param why the host's reason
     */
    public record Refusal(String function, String why) {}

    /** A line the plugin logged. */
    public record LogLine(String level, String message) {}
}

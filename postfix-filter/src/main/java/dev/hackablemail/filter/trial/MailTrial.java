package dev.hackablemail.filter.trial;

import dev.hackablemail.filter.Filter;
import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.FilterTrace;
import dev.hackablemail.filter.MailMessage;
import dev.hackablemail.filter.Outcome;
import dev.hackablemail.onemail.IncomingEmail;
import dev.hackablemail.store.GuestStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * "What would my plugin do with this mail?": runs the filter's own core ({@link Filter}: the
 * same parsing, canonical headers, payload checks, limits, reply rules and reply composition)
 * in record mode. Nothing is sent (deliveries and answers are kept, and answered 0 as a mail
 * system that took them would), and nothing is written to the store: the reply ledger is
 * read, never claimed, and a signup is not registered.
 *
 * <pre>{@code
 * TrialResult r = new MailTrial(FilterConfig.defaults(), null)
 *         .run("alice@example.org", "bob@example.com", emlBytes, pluginWasm);
 * r.exitCode();          // what the filter would exit with
 * r.answer().subject();  // the reply it would send, if any
 * }</pre>
 *
 * <p>Safe to share between threads; each {@link #run} compiles the plugin anew.
 */
public final class MailTrial {

    /** At most this many plugin log lines are kept (a plugin may log in a loop until its timeout). */
    static final int MAX_LOG_LINES = 1000;

    private final FilterConfig config;
    private final GuestStore store;
    private final Clock clock;

    /**
     * @param config the filter's settings (limits, {@code max_message_size}, {@code reply_period},
     *     {@code hostname}, {@code signup_address}...; the {@code sendmail} and {@code log} settings are not used)
     * @param store the guest store, only read (the recipient's aliases, the reply ledger, and the
     *     recipient's active plugin when none is given); null: none (no aliases, empty ledgers).
     *     The caller keeps it open and closes it.
     */
    public MailTrial(FilterConfig config, GuestStore store) {
        this(config, store, Clock.systemDefaultZone());
    }

    /** The same with a clock of the caller's (the ledger's period, the reply's Date). */
    public MailTrial(FilterConfig config, GuestStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Handles one message as the filter would, sending nothing. Never throws for anything the
     * message or the plugin does: that is in the result, as the filter would report it.
     *
     * @param sender the envelope sender ({@code ""} for the null sender)
     * @param recipient the envelope recipient, whose plugin runs
     * @param message the message, exactly as Postfix would hand it over
     * @param plugin the plugin's Wasm bytes; null: the recipient's active plugin in the store
     */
    public TrialResult run(String sender, String recipient, byte[] message, byte[] plugin) {
        Recorder trace = new Recorder();
        RecordingReinjection recorded = new RecordingReinjection();
        Outcome outcome;
        try (Filter filter = new Filter(config, new TrialStore(store, recipient, plugin), recorded, clock, trace)) {
            outcome = filter.process(sender, recipient, message);
        }
        TrialResult.Delivery delivery = recorded.deliveries.isEmpty() ? null
                : delivery(message, recorded.deliveries.get(0));
        TrialResult.Answer answer = recorded.answers.isEmpty() ? null : new TrialResult.Answer(
                trace.answerKind(), recorded.answers.get(0).recipient(), recorded.answers.get(0).bytes());
        return new TrialResult(trace.input, trace.hostCalls, delivery, answer, trace.suppressed, trace.refused,
                trace.log,
                outcome.exitCode(), TrialResult.Decision.of(outcome.exitCode(), delivery != null),
                outcome.reason(), outcome.log());
    }

    /** What would be delivered, and how its header differs from the original's. */
    private static TrialResult.Delivery delivery(byte[] original, RecordingReinjection.Handed handed) {
        if (Arrays.equals(original, handed.bytes())) {
            return new TrialResult.Delivery(handed.sender(), handed.recipient(), handed.bytes(), List.of(), List.of(),
                    false);
        }
        MailMessage before = MailMessage.parse(original);
        MailMessage after = MailMessage.parse(handed.bytes());
        List<String> beforeFields = fields(before);
        List<String> afterFields = fields(after);
        List<String> removed = new ArrayList<>(beforeFields);
        afterFields.forEach(removed::remove);
        List<String> added = new ArrayList<>(afterFields);
        beforeFields.forEach(added::remove);
        boolean bodyChanged = !Arrays.equals(
                Arrays.copyOfRange(original, before.headerEnd(), original.length),
                Arrays.copyOfRange(handed.bytes(), after.headerEnd(), handed.bytes().length));
        return new TrialResult.Delivery(handed.sender(), handed.recipient(), handed.bytes(), removed, added,
                bodyChanged);
    }

    /** The raw header fields, unfolded, without their line ends. */
    private static List<String> fields(MailMessage mail) {
        List<String> fields = new ArrayList<>();
        for (MailMessage.RawField f : mail.fields()) {
            String raw = new String(mail.bytes(), f.start(), f.length(), StandardCharsets.UTF_8);
            fields.add(raw.replaceAll("\r?\n[ \t]", " ").replaceAll("\r?\n$", ""));
        }
        return fields;
    }

    /** Keeps what the core shows (one message, on the calling thread). */
    private static final class Recorder implements FilterTrace {
        IncomingEmail input;
        final List<TrialResult.HostCall> hostCalls = new ArrayList<>();
        final List<TrialResult.LogLine> log = new ArrayList<>();
        TrialResult.Suppression suppressed;
        final List<TrialResult.Refusal> refused = new ArrayList<>();

        @Override
        public void pluginInput(IncomingEmail email) {
            input = email;
        }

        @Override
        public void hostCall(String function, byte[] payload, String answer, String failure) {
            hostCalls.add(new TrialResult.HostCall(function, new String(payload, StandardCharsets.UTF_8),
                    answer == null ? null : Integer.valueOf(answer.trim()), failure));
        }

        @Override
        public void guestLog(String level, String message) {
            if (log.size() < MAX_LOG_LINES) {
                log.add(new TrialResult.LogLine(level, message));
            }
        }

        @Override
        public void suppressed(String what, String rule) {
            suppressed = new TrialResult.Suppression(what, rule);
        }

        @Override
        public void refused(String what, String why) {
            refused.add(new TrialResult.Refusal(what, why));
        }

        /** An answer without a plugin's reply call is the signup address's invitation. */
        String answerKind() {
            return hostCalls.stream().anyMatch(c -> c.function().equals("reply")) ? "reply" : "invitation";
        }
    }
}

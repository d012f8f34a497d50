package dev.hackablemail.filter;

import dev.hackablemail.onemail.EmailHost;
import dev.hackablemail.onemail.IncomingEmail;
import dev.hackablemail.onemail.ReplyEmail;
import dev.hackablemail.runner.guest.GuestCallException;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.store.GuestStore;
import java.io.IOException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The production side of the "on email" contract for one message: {@code deliver}
 * re-injects the mail, {@code reply} answers its sender, both through a {@link Reinjection}
 * (sendmail for the pipe filter, SMTP for the daemon). The mock host in Wasm
 * implements the same {@link EmailHost} contract for simulations.
 *
 * <p>Each function may be called once per message; a second call throws a
 * {@link GuestCallException} of kind HOST, which fails the plugin call (a contract
 * violation). Everything else is a return code:
 * <ul>
 *   <li>{@code deliver}: the re-injection's code (sendmail's exit code, or its SMTP equivalent); {@link SysExits#DATAERR} when the plugin's
 *       changes cannot be applied faithfully ({@link MessageEditor}).</li>
 *   <li>{@code reply}: the same; 0 when the reply is suppressed (mail that must
 *       not be answered, see {@link ReplyPolicy}, or a sender already answered within
 *       {@code reply_period}), so that a plugin does not bounce mail for it;
 *       {@link SysExits#DATAERR} when the reply itself is refused ({@link ReplyComposer}).</li>
 * </ul>
 *
 * <p>It also records what happened, which decides the filter's exit code: whether the mail
 * was delivered, and whether a failure of ours (sendmail failing or missing, the store
 * failing) means the mail must be tried again.
 */
public final class FilterHost implements EmailHost {

    private final FilterConfig config;
    private final GuestStore store;
    private final Reinjection reinjection;
    private final Clock clock;
    private final MailMessage mail;
    private final IncomingEmail given;
    private final FilterTrace trace;

    private boolean deliverCalled;
    private String deliveryRefused;
    private boolean replyCalled;
    private volatile boolean delivered;
    private volatile String temporaryFailure;
    private final List<String> events = new ArrayList<>();

    /** {@code mail} is null for a mail passed on unparsed (no plugin): only {@link #deliverBytes} is used then. */
    public FilterHost(FilterConfig config, GuestStore store, Reinjection reinjection, Clock clock, MailMessage mail,
            IncomingEmail given) {
        this(config, store, reinjection, clock, mail, given, FilterTrace.NONE);
    }

    /** The same, showing what happens to {@code trace} ({@code hackable-email try}). */
    public FilterHost(FilterConfig config, GuestStore store, Reinjection reinjection, Clock clock, MailMessage mail,
            IncomingEmail given, FilterTrace trace) {
        this.trace = trace;
        this.config = config;
        this.store = store;
        this.reinjection = reinjection;
        this.clock = clock;
        this.mail = mail;
        this.given = given;
    }

    /** The decoded headers in message order (what {@link #given()} holds, with its order). */
    public java.util.Map<String, String> orderedHeaders() {
        return mail.headers();
    }

    /** Who is shown what happens ({@link FilterTrace#NONE} but in {@code hackable-email try}). */
    FilterTrace trace() {
        return trace;
    }

    /** The mail as the plugin was handed it. */
    public IncomingEmail given() {
        return given;
    }

    @Override
    public int deliver(IncomingEmail email) {
        if (deliverCalled) {
            throw new GuestCallException(GuestCallException.Kind.HOST,
                    "deliver was called a second time: a plugin may deliver a mail at most once");
        }
        deliverCalled = true;
        MessageEditor.Result edit = MessageEditor.apply(mail, given, email);
        if (!edit.ok()) {
            deliveryRefused = edit.refusal();
            events.add("deliver=refused(" + edit.refusal() + ")");
            trace.refused("deliver", edit.refusal());
            return SysExits.DATAERR;
        }
        return deliverBytes(edit.bytes(), edit.changed() ? "(edited)" : "");
    }

    /** Re-injects bytes for the envelope recipient; used by {@link #deliver} and for mail without a plugin. */
    int deliverBytes(byte[] bytes, String note) {
        Reinjection.Result r = reinjection.deliver(given.sender(), given.receiver(), bytes);
        if (r.ok()) {
            delivered = true;
        } else {
            temporaryFailure = "delivery failed: " + r.detail();
        }
        events.add("deliver=" + r.code() + note);
        return r.code();
    }

    @Override
    public int reply(ReplyEmail reply) {
        if (replyCalled) {
            throw new GuestCallException(GuestCallException.Kind.HOST,
                    "reply was called a second time: a plugin may reply to a mail at most once");
        }
        replyCalled = true;
        String from = given.receiver();
        String to = given.sender();
        Optional<String> forbidden;
        try {
            forbidden = ReplyPolicy.forbidden(to, from, guestAddresses(), mail);
        } catch (IOException e) {
            temporaryFailure = "the store failed (the aliases of " + from + "): " + Reasons.of(e);
            events.add("reply=failed(" + temporaryFailure + ")");
            return SysExits.TEMPFAIL;
        }
        if (forbidden.isPresent()) {
            events.add("reply=suppressed(" + forbidden.get() + ")");
            trace.suppressed("reply", forbidden.get());
            return 0;
        }
        ReplyComposer.Composed composed = ReplyComposer.compose(from, to, reply, mail, config.hostname(),
                ZonedDateTime.now(clock));
        if (!composed.ok()) {
            events.add("reply=refused(" + composed.refusal() + ")");
            trace.refused("reply", composed.refusal());
            return SysExits.DATAERR;
        }
        return sendOnce(GuestStore.Ledger.REPLIES, from, to, config.replyPeriod(), "reply", () -> composed);
    }

    /**
     * The addresses the guest declared as theirs (the recipient, then its aliases), for "was I
     * addressed?" ({@link ReplyPolicy}, RFC 5230 section 4.5).
     */
    private java.util.Set<String> guestAddresses() throws IOException {
        return new java.util.LinkedHashSet<>(store.addressesOf(given.receiver()));
    }

    /** Builds an answer once it is known that it will be sent (after the ledger's claim). */
    @FunctionalInterface
    interface Prepare {
        ReplyComposer.Composed prepare() throws IOException;
    }

    /**
     * Sends an answer unless {@code from} already answered {@code to} within {@code period}:
     * the store's ledger is claimed first (atomically, so of concurrent deliveries, on this
     * server or another, one sends), and the claim is given back when the send fails, so
     * that the retry of this mail sends it. Returns 0 when it is suppressed.
     */
    int sendOnce(GuestStore.Ledger ledger, String from, String to, java.time.Duration period, String what,
            Prepare prepare) {
        // A folder store's ledger is a FileChannel, which an interrupt closes: the plugin's
        // time limit (it interrupts this thread) must not cut the ledger off from a reply
        // that went out, or every retry would send it again. The interrupt is put back at the end.
        boolean interrupted = Thread.interrupted();
        try {
            if (period.isZero()) {
                return sendPrepared(prepare.prepare(), to, what);
            }
            GuestStore.LedgerClaim claim = store.claim(from, ledger, to, period, clock.instant());
            if (!claim.granted()) {
                String rule = "already sent to " + to + claim.lastSent().map(t -> " at " + t).orElse("");
                events.add(what + "=suppressed(" + rule + ")");
                trace.suppressed(what, rule);
                return 0;
            }
            int code;
            try {
                code = sendPrepared(prepare.prepare(), to, what);
            } catch (IOException | RuntimeException e) {
                giveBack(claim, what);
                throw e;
            }
            interrupted |= Thread.interrupted();
            if (code != 0) {
                giveBack(claim, what);
            }
            return code;
        } catch (IOException e) {
            temporaryFailure = "the store failed (" + ledger.id() + " ledger of " + from + "): " + Reasons.of(e);
            events.add(what + "=failed(" + temporaryFailure + ")");
            return SysExits.TEMPFAIL;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Not sent: the next delivery (this mail's retry) may send it. */
    private void giveBack(GuestStore.LedgerClaim claim, String what) {
        boolean interrupted = Thread.interrupted();
        try {
            claim.release();
        } catch (IOException e) {
            // Then this sender gets no answer in this period: the lesser harm than two.
            events.add(what + "=claim-not-released(" + Reasons.of(e) + ")");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int sendPrepared(ReplyComposer.Composed composed, String to, String what) {
        if (!composed.ok()) {
            events.add(what + "=refused(" + composed.refusal() + ")");
            trace.refused(what, composed.refusal());
            return SysExits.DATAERR;
        }
        return send(composed, to, what);
    }

    private int send(ReplyComposer.Composed composed, String to, String what) {
        Reinjection.Result r = reinjection.reply(to, composed.bytes());
        if (!r.ok()) {
            temporaryFailure = what + " failed: " + r.detail();
        }
        events.add(what + "=" + r.code());
        return r.code();
    }

    /**
     * Why the host refused the plugin's {@code deliver} (changes it cannot apply faithfully),
     * or null. The plugin asked for delivery, so a mail it then reports as handled (0) must
     * not be dropped silently.
     */
    public String deliveryRefused() {
        return deliveryRefused;
    }

    /** Whether the mail system took the mail for the recipient (after which it must never be retried). */
    public boolean delivered() {
        return delivered;
    }

    /** A failure of ours (sendmail, the store) that calls for a retry, or null. */
    public String temporaryFailure() {
        return temporaryFailure;
    }

    /** Records a failure of ours: the mail is kept and retried unless it was delivered. */
    void failTemporarily(String why) {
        temporaryFailure = why;
    }

    /** What deliver and reply did, for the log line. */
    public List<String> events() {
        return events;
    }
}

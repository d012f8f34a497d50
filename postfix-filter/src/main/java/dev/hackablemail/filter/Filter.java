package dev.hackablemail.filter;

import dev.hackablemail.onemail.IncomingEmail;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.store.GuestStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the filter does with one message, whatever the transport: the pipe filter (one
 * message per process, re-injecting with sendmail), the SMTP content-filter daemon (many
 * sessions at once, re-injecting over SMTP), the tests and the bench all go through here.
 * The exit code (the daemon turns it into an SMTP reply):
 *
 * <table>
 *   <caption>exit codes</caption>
 *   <tr><th>code</th><th>when</th><th>Postfix</th></tr>
 *   <tr><td>0</td><td>delivered (by the plugin or, without a plugin, unchanged); or the plugin
 *       returned 0 (a mail it did not deliver is dropped, its choice); or a signup was
 *       answered; and always once the mail was delivered, whatever happened after</td>
 *       <td>done</td></tr>
 *   <tr><td>64..78</td><td>the plugin returned that sysexits code (and did not deliver)</td>
 *       <td>bounce (75, 71: retry)</td></tr>
 *   <tr><td>69</td><td>the plugin returned any other non-zero code (1..63, 79+, negative);
 *       or the message is larger than {@code max_message_size}</td><td>bounce</td></tr>
 *   <tr><td>70</td><td>the plugin failed: invalid module, trap, timeout, memory or output
 *       limit, error, output that is not a JSON integer, a contract violation (second
 *       deliver or reply, an invalid payload)</td><td>bounce</td></tr>
 *   <tr><td>75</td><td>a failure of ours: the store unreadable, sendmail missing, failing or
 *       too slow (in deliver, reply or for a mail without plugin), the configuration, bad
 *       arguments, an internal error, out of memory, the filter's own time limit</td>
 *       <td>deferred, retried</td></tr>
 * </table>
 *
 * <p>Order of precedence: delivered → 0; else a failure of ours → 75; else the plugin
 * failed → 70; else the plugin's code. So the mail is never delivered twice (no retry after
 * a delivery) and never lost (no bounce or drop for a failure of ours).
 */
public final class Filter implements AutoCloseable {

    private final FilterConfig config;
    private final GuestStore store;
    private final Reinjection reinjection;
    private final Clock clock;
    private final PluginRunner runner;
    private final FilterTrace trace;
    private volatile FilterHost current;
    /** What {@link #preload} read from the store, for {@link #process} to use instead of reading it again. */
    private final AtomicReference<StoreRead> preread = new AtomicReference<>();

    /** A recipient's active plugin as read from the store (empty: none). */
    private record StoreRead(String recipient, Optional<byte[]> plugin) {}

    /** A filter on the configured store, opened for one message at a time (one connection). */
    public Filter(FilterConfig config, Sendmail sendmail, Clock clock) {
        this(config, open(config, false), sendmail, clock);
    }

    /**
     * The pipe filter's core on a store the caller opened: deliveries and replies go through
     * {@code sendmail}; closing the filter closes the store.
     */
    public Filter(FilterConfig config, GuestStore store, Sendmail sendmail, Clock clock) {
        this(config, store, new SendmailReinjection(sendmail), clock, PluginRunner.DEFAULT_CACHED_PLUGINS, 1,
                FilterTrace.NONE);
    }

    /**
     * The core for {@code hackable-email try}: one message at a time, on a store the caller
     * opened (closing the filter closes it), with deliveries and replies going to
     * {@code reinjection} and what happens shown to {@code trace}.
     */
    public Filter(FilterConfig config, GuestStore store, Reinjection reinjection, Clock clock, FilterTrace trace) {
        this(config, store, reinjection, clock, PluginRunner.DEFAULT_CACHED_PLUGINS, 1, trace);
    }

    /**
     * The core over any transport, on the configured store opened pooled (a long-running
     * daemon). Safe for concurrent {@link #process} calls (the daemon handles one message per
     * SMTP session thread).
     *
     * @param reinjection where deliveries and replies go
     * @param cachedPlugins how many plugins stay compiled and ready (an LRU; see {@link PluginRunner})
     * @param concurrency how many messages may be handled at once (kernels kept ready per plugin)
     */
    public Filter(FilterConfig config, Reinjection reinjection, Clock clock, int cachedPlugins, int concurrency) {
        this(config, open(config, true), reinjection, clock, cachedPlugins, concurrency, FilterTrace.NONE);
    }

    private Filter(FilterConfig config, GuestStore store, Reinjection reinjection, Clock clock, int cachedPlugins,
            int concurrency, FilterTrace trace) {
        this.trace = trace;
        this.config = config;
        this.store = store;
        this.reinjection = reinjection;
        this.clock = clock;
        this.runner = new PluginRunner(config, cachedPlugins, concurrency);
    }

    /** How many plugins are kept compiled and ready now. */
    public int cachedPlugins() {
        return runner.cachedPlugins();
    }

    private static GuestStore open(FilterConfig config, boolean pooled) {
        try {
            return config.store().open(pooled);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FilterConfig config() {
        return config;
    }

    @Override
    public void close() {
        store.close();
    }

    /** Whether the message being (or last) handled was delivered; the watchdog asks. */
    public boolean delivered() {
        FilterHost host = current;
        return host != null && host.delivered();
    }

    /**
     * For a one-message process: starts loading what handling a mail for {@code recipient}
     * will need (the recipient's plugin, compiled and instantiated; the schema) on other
     * threads, while the caller reads the message. Never fails; {@link #process} does
     * everything itself if this did not help. The plugin is read from the store here once:
     * the next {@link #process} for this recipient uses these very bytes.
     */
    public void preload(String recipient) {
        try {
            Optional<byte[]> plugin = store.activePlugin(recipient);
            preread.set(new StoreRead(recipient, plugin));
            if (plugin.isPresent()) {
                runner.preload(pluginName(recipient), plugin.get());
                PluginRunner.warmUpInBackground();
            }
        } catch (IOException | RuntimeException ignored) {
            // process() reads the store again and reports it
        }
    }

    private static String pluginName(String recipient) {
        return recipient + "'s plugin";
    }

    /** Handles one message for one recipient, re-injecting through the filter's own transport. Never throws. */
    public Outcome process(String sender, String recipient, byte[] message) {
        return process(sender, recipient, message, reinjection);
    }

    /**
     * Handles one message for one recipient, with deliveries and replies going to
     * {@code through} (the daemon wraps its transport per message). Never throws.
     */
    public Outcome process(String sender, String recipient, byte[] message, Reinjection through) {
        long start = System.nanoTime();
        Log log = new Log(sender, recipient, message.length);
        log.recentMail = store;
        log.clock = clock;
        FilterHost host = null;
        StoreRead preloaded = preread.getAndSet(null);
        try {
            if (message.length > config.maxMessageSize()) {
                return log.end(SysExits.UNAVAILABLE, "the message is larger than the filter takes ("
                        + config.maxMessageSize() + " bytes)", start);
            }
            Optional<byte[]> plugin;
            try {
                plugin = preloaded != null && preloaded.recipient().equals(recipient) ? preloaded.plugin()
                        : store.activePlugin(recipient);
            } catch (IOException e) {
                return log.end(SysExits.TEMPFAIL, "the plugin store is not readable: " + Reasons.of(e), start);
            }
            if (plugin.isEmpty() && !Signup.isSignupAddress(config, recipient)) {
                // Nothing will look into the mail: pass it on as it came, unparsed (hostile
                // structure costs nothing here).
                host = new FilterHost(config, store, through, clock, null,
                        new IncomingEmail(sender, recipient, java.util.Map.of(), ""), trace);
                current = host;
                log.host = host;
                log.what = "plugin=none";
                int code = host.deliverBytes(message, "");
                return code == 0 ? log.end(SysExits.OK, null, start)
                        : log.end(SysExits.TEMPFAIL, host.temporaryFailure(), start);
            }
            MailMessage mail = MailMessage.parse(message);
            IncomingEmail given = mail.toIncomingEmail(sender, recipient);
            log.subject = given.headers().get("Subject");
            host = new FilterHost(config, store, through, clock, mail, given, trace);
            current = host;
            log.host = host;

            if (Signup.applies(config, recipient, mail)) {
                Optional<String> refusal = Signup.refusal(sender, recipient, mail);
                if (refusal.isEmpty()) {
                    log.what = "signup";
                    int code = Signup.invite(config, store, host, clock, sender, recipient, mail);
                    if (code != 0 || host.temporaryFailure() != null) {
                        return log.end(SysExits.TEMPFAIL, "the signup could not be answered: "
                                + host.temporaryFailure(), start);
                    }
                    return log.end(SysExits.OK, null, start);
                }
                log.note = "not a signup: " + refusal.get();
            }

            if (plugin.isEmpty()) {
                log.what = "plugin=none";
                int code = host.deliverBytes(message, "");
                return code == 0 ? log.end(SysExits.OK, null, start)
                        : log.end(SysExits.TEMPFAIL, host.temporaryFailure(), start);
            }

            long pluginStart = System.nanoTime();
            PluginRunner.Outcome result = runner.run(pluginName(recipient), plugin.get(), host);
            log.pluginNanos = System.nanoTime() - pluginStart;
            log.what = "plugin=" + result.digest().substring(0, 12);
            log.plugin = result.digest().substring(0, 12);
            log.pluginCode = result.failed() ? null : result.code();
            log.guestLog = runner.guestLog();
            if (host.delivered()) {
                log.note = result.failed() ? "the plugin failed after delivering: " + result.failure() : null;
                return log.end(SysExits.OK, null, start);
            }
            if (host.temporaryFailure() != null) {
                return log.end(SysExits.TEMPFAIL, host.temporaryFailure(), start);
            }
            if (runner.hostBug() != null) {
                return log.end(SysExits.TEMPFAIL, ourFailure(runner.hostBug()), start);
            }
            if (result.failed()) {
                return log.end(SysExits.SOFTWARE, result.failure(), start);
            }
            int code = result.code();
            int exit = SysExits.forPluginCode(code);
            if (code == 0 && host.deliveryRefused() != null) {
                return log.end(SysExits.SOFTWARE, "the plugin's changes to the mail could not be applied ("
                        + host.deliveryRefused() + ") and it returned 0 anyway", start);
            }
            if (code == 0) {
                log.note = "the plugin returned 0 without delivering: the mail is dropped";
                return log.end(SysExits.OK, null, start);
            }
            return log.end(exit, "the recipient's plugin rejected the mail (code " + code
                    + (exit != code ? ", passed on as " + exit : "") + ")", start);
        } catch (Throwable t) { // OutOfMemoryError included: the mail is kept (or was delivered)
            boolean delivered = host != null && host.delivered();
            return log.end(delivered ? SysExits.OK : SysExits.TEMPFAIL, ourFailure(t), start);
        }
    }

    /**
     * What a failure of ours (never the plugin's) is called in the log and in the reply: the
     * JVM running out of heap is said so, whatever the plugin was doing then.
     */
    public static String ourFailure(Throwable t) {
        Throwable cause = t;
        // try-with-resources adding an error to itself: the error is what happened
        if (cause instanceof IllegalArgumentException && cause.getCause() != null
                && "Self-suppression not permitted".equals(cause.getMessage())) {
            cause = cause.getCause();
        }
        if (cause instanceof OutOfMemoryError) {
            return "the filter ran out of memory (" + cause.getMessage() + "): a failure of ours, the mail is kept"
                    + " and tried again";
        }
        return "internal error: " + Reasons.of(cause);
    }

    /** Collects the message's log line. */
    private static final class Log {
        final String sender;
        final String recipient;
        final int size;
        FilterHost host;
        long pluginNanos;
        String what = "";
        String note;
        List<String> guestLog = List.of();
        /** Where the decision is kept for the guest's recent-mail page, once a plugin ran; null: nowhere. */
        GuestStore recentMail;
        Clock clock;
        String subject;
        String plugin;
        Integer pluginCode;

        Log(String sender, String recipient, int size) {
            this.sender = sender;
            this.recipient = recipient;
            this.size = size;
        }

        Outcome end(int exit, String reason, long startNanos) {
            StringBuilder line = new StringBuilder(200);
            line.append("from=<").append(sender).append("> to=<").append(recipient).append("> size=").append(size);
            if (!what.isEmpty()) {
                line.append(' ').append(what);
            }
            if (host != null) {
                for (String e : host.events()) {
                    line.append(' ').append(e);
                }
            }
            line.append(" exit=").append(exit)
                    .append(" ms=").append((System.nanoTime() - startNanos) / 1_000_000);
            if (reason != null) {
                line.append(" reason=\"").append(reason).append('"');
            }
            if (note != null) {
                line.append(" note=\"").append(note).append('"');
            }
            for (String g : guestLog) {
                line.append(" guest=\"").append(g).append('"');
            }
            String shortReason = reason == null || exit == SysExits.OK ? null : shorten(reason);
            recordMail(exit, reason);
            return new Outcome(exit, shortReason, OneLine.withoutLineBreaks(line.toString()), pluginNanos);
        }

        /** The recent-mail line of a mail a plugin decided on; a store that fails costs the line, never the mail. */
        private void recordMail(int exit, String reason) {
            if (recentMail == null || plugin == null) {
                return;
            }
            List<String> outcome = new java.util.ArrayList<>();
            String detail = null;
            if (host != null && host.delivered()) {
                outcome.add("delivered");
            }
            for (String e : host == null ? List.<String>of() : host.events()) {
                if (e.equals("reply=0")) {
                    outcome.add("replied");
                } else if (e.startsWith("reply=suppressed(")) {
                    outcome.add("reply suppressed");
                    detail = e.substring("reply=suppressed(".length(), e.length() - 1);
                } else if (e.startsWith("reply=")) {
                    outcome.add("reply failed");
                    detail = e.substring("reply=".length());
                }
            }
            if (exit == SysExits.OK && outcome.stream().noneMatch("delivered"::equals)) {
                outcome.add(0, "dropped");
            } else if (exit == SysExits.TEMPFAIL) {
                outcome.add("deferred");
                detail = reason;
            } else if (exit == SysExits.SOFTWARE) {
                outcome.add("failed");
                detail = reason;
            } else if (exit != SysExits.OK) {
                outcome.add("bounced");
                detail = reason;
            }
            if (detail == null && note != null) {
                detail = note;
            }
            try {
                recentMail.recordMail(recipient, new GuestStore.MailRecord(clock.instant(), sender, subject, plugin,
                        pluginCode, String.join(", ", outcome), detail, pluginNanos / 1000));
            } catch (IOException | RuntimeException e) {
                // the page misses this mail; the mail itself is handled
            }
        }

        private static String shorten(String reason) {
            String one = OneLine.withoutControls(reason).trim();
            return "hackable-email: " + (one.length() > 400 ? one.substring(0, 400) + "..." : one);
        }
    }
}

package dev.hackablemail.filter.smtpd;

import dev.hackablemail.filter.Filter;
import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.FilterLog;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.report.Reasons;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * The filter as an after-queue SMTP content filter (Postfix's FILTER_README): Postfix's SMTP
 * client delivers each message to this server, which runs the recipient's plugin through the
 * same core as the pipe filter and re-injects over SMTP into a Postfix smtpd without content
 * filter. DATA is answered only once every delivery and reply was accepted there.
 *
 * <p>Plugins stay compiled between messages (an LRU per recipient and digest); each message
 * still reads the store, so a push, rollback or removal counts from the next message, and gets
 * a fresh instance.
 *
 * <p>{@link #stop()} (SIGTERM) drains: new sessions and new transactions get 421, the
 * transactions in flight finish (up to {@code shutdown_timeout}), then the server closes.
 */
public final class ContentFilterDaemon implements AutoCloseable {

    /** How often the daemon checks that the threads it cannot serve without are alive. */
    private static final Duration LIVENESS_CHECK = Duration.ofMillis(500);
    private static final AtomicInteger DAEMONS = new AtomicInteger();

    /** How long closing the sessions may take after shutdown_timeout. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);

    private final SmtpdConfig settings;
    private final FilterLog log;
    private final Metrics metrics = new Metrics();
    private final Filter core;
    private final SmtpReinjection reinjection;
    private final DeliveryJournal journal;
    private final ContentFilter filter;
    private final String hostName;
    private final SMTPServer server;
    private final ExecutorService sessions;
    private final HandOvers handOvers;
    private final BytesInFlight bytesInFlight;
    private HealthEndpoint health;
    private PolicyServer policy;
    private volatile boolean draining;
    private volatile boolean stopped;
    /** The SMTP server's accepting thread, by a name of this daemon's own. */
    private final String acceptThread = "smtpd-accept-" + DAEMONS.incrementAndGet();
    /** The threads the daemon cannot serve without, by what they do. */
    private final java.util.Map<String, Thread> vital = new java.util.LinkedHashMap<>();
    /** What happens when one of them died: the command line exits (the service manager restarts it). */
    private volatile java.util.function.Consumer<String> onBroken = why -> { };

    /**
     * Sets everything up (the journal is opened and locked); {@link #start} listens.
     *
     * @throws IOException when the journal cannot be opened (or another daemon holds it)
     */
    public ContentFilterDaemon(FilterConfig config, SmtpdConfig settings, FilterLog log, Clock clock) throws IOException {
        this.settings = settings;
        this.log = log;
        this.hostName = config.hostname() != null ? config.hostname() : localHostName();
        this.reinjection = new SmtpReinjection(settings.reinject(), hostName, settings.reinjectTimeout(),
                settings.maxSessions());
        this.core = new Filter(config, reinjection, clock, settings.cachedPlugins(), settings.maxSessions());
        this.journal = DeliveryJournal.open(settings.journal(), settings.journalPeriod(), clock);
        if (journal.damage() != null) {
            log.line("smtpd: journal " + journal.damage());
        }
        this.handOvers = new HandOvers(journal, metrics);
        this.bytesInFlight = new BytesInFlight(settings.maxBytesInFlight());
        this.filter = new ContentFilter(core, reinjection, journal, handOvers, log, metrics);
        AtomicInteger threads = new AtomicInteger();
        this.sessions = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "smtpd-session-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long maxSize = config.maxMessageSize();
        this.server = SMTPServer.port(settings.listen().port())
                .bindAddress(address(settings.listen().host()))
                .hostName(hostName)
                .softwareName("hackable-email")
                .messageHandlerFactory(context -> new FilterTransaction(this, context, maxSize))
                .sessionHandler(new Draining())
                .fromAddressValidator(address -> true) // Postfix checked the envelope already
                .maxConnections(settings.maxSessions())
                .connectionTimeout((int) Math.min(Integer.MAX_VALUE, settings.sessionTimeout().toMillis()),
                        TimeUnit.MILLISECONDS)
                .maxMessageSize((int) Math.min(Integer.MAX_VALUE, maxSize))
                .insertReceivedHeaders(false) // the bytes go on as they came
                .executorService(sessions)
                .serverThreadName(acceptThread)
                .build();
        org.subethamail.smtp.internal.server.CommandHandler commands = server.getCommandHandler();
        commands.addCommand(new MailSizeCommand(commands.getCommand("MAIL"), maxSize));
        commands.addCommand(new BdatCommand(log));
    }

    /** Listens for SMTP (and for policy requests and health checks when configured). */
    public void start() throws IOException {
        if (settings.reinjectPolicy() != null) {
            try {
                // before SMTP: the first re-injection needs it
                policy = PolicyServer.start(settings.reinjectPolicy(), handOvers, metrics, log,
                        Math.max(64, 4 * settings.maxSessions()));
            } catch (IOException | RuntimeException e) {
                journal.close();
                stopped = true;
                throw new IOException("cannot listen on " + settings.reinjectPolicy() + " (reinject_policy): "
                        + rootMessage(e), e);
            }
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            closePolicy();
            journal.close(); // free for the next attempt
            stopped = true;
            throw new IOException("cannot listen on " + settings.listen() + ": " + rootMessage(e), e);
        }
        if (settings.metrics() != null) {
            try {
                health = HealthEndpoint.start(settings.metrics(), this);
            } catch (IOException | RuntimeException e) {
                server.stop();
                closePolicy();
                journal.close();
                stopped = true;
                throw new IOException("cannot listen on " + settings.metrics() + " (metrics): " + rootMessage(e), e);
            }
        }
        watchVitalThreads();
        log.line("smtpd: listening on " + listenAddress() + ", re-injecting to " + settings.reinject()
                + ", max_sessions=" + settings.maxSessions()
                + (policy == null ? "" : ", reinject_policy on " + policy.address())
                + (health == null ? "" : ", metrics on " + health.address()));
    }

    /**
     * What to do when the daemon can no longer serve (a thread it needs died, typically of an
     * OutOfMemoryError): the command line exits, so that the service manager starts it anew,
     * rather than leave a daemon that takes connections and answers nothing. Told why.
     */
    public void onBroken(java.util.function.Consumer<String> action) {
        this.onBroken = action;
    }

    private void watchVitalThreads() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(acceptThread)) {
                vital.put("the SMTP server's accepting thread", t);
            }
        }
        if (health != null && health.dispatcher() != null) {
            vital.put("the health endpoint's HTTP dispatcher", health.dispatcher());
        }
        Thread watch = new Thread(() -> {
            while (!draining) {
                try {
                    Thread.sleep(LIVENESS_CHECK.toMillis());
                    String dead = deadVitalThread();
                    if (dead != null && !draining) {
                        log.line("smtpd: cannot serve any more: " + dead + " died; exiting so that the service"
                                + " manager starts the daemon again");
                        onBroken.accept(dead + " died");
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable e) {
                    // out of memory here too: this thread must outlive it to notice the others
                }
            }
        }, "smtpd-liveness");
        watch.setDaemon(true);
        watch.start();
    }

    /** What a dead vital thread did, or null when all are alive. */
    private String deadVitalThread() {
        for (java.util.Map.Entry<String, Thread> e : vital.entrySet()) {
            if (!e.getValue().isAlive()) {
                return e.getKey();
            }
        }
        return GuestPlugin.callWatchdogAlive() ? null : "the guest-call watchdog (plugin time limits)";
    }

    /** The threads watched (for the tests). */
    java.util.Map<String, Thread> vitalThreads() {
        return vital;
    }

    /** Where the policy service listens, or null. */
    public SmtpdConfig.HostPort policyAddress() {
        return policy == null ? null : policy.address();
    }

    private void closePolicy() {
        if (policy != null) {
            policy.close();
        }
    }

    /** The address the server listens on (with the port it got when 0 was asked for). */
    public SmtpdConfig.HostPort listenAddress() {
        return new SmtpdConfig.HostPort(settings.listen().host(), server.getPortAllocated());
    }

    /** What the journal could not read at start (see {@link DeliveryJournal#damage}), or null. */
    public String journalDamage() {
        return journal.damage();
    }

    /** Where the health endpoint listens, or null. */
    public SmtpdConfig.HostPort healthAddress() {
        return health == null ? null : health.address();
    }

    /**
     * Drains and stops: 421 for new sessions and transactions, waits for the transactions in
     * flight (at most {@code shutdown_timeout}), then closes every session and connection.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        draining = true;
        int inFlight = metrics.transactions().get();
        log.line("smtpd: stopping, " + inFlight + " transaction(s) in flight");
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        while (metrics.transactions().get() > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(20));
        }
        int cut = metrics.transactions().get();
        filter.cut(); // what is still running hands nothing on: it is not answered, Postfix retries it
        // The server's stop waits for every session thread, and one stalled in the store or in
        // re-injection does not end when its socket closes: waited for a moment, not longer.
        Thread closing = new Thread(server::stop, "smtpd-stop");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(Math.max(STOP_GRACE.toMillis(), (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            log.line("smtpd: " + metrics.sessions().get() + " session(s) still stalled (store or re-injection):"
                    + " not waited for");
        }
        if (health != null) {
            health.stop();
        }
        reinjection.close();
        closePolicy(); // after the sessions: a re-injection in flight needs its answer
        try {
            journal.close();
        } catch (IOException e) {
            log.line("smtpd: closing the journal failed: " + Reasons.of(e));
        }
        stopped = true;
        log.line("smtpd: stopped" + (cut > 0 ? ", " + cut + " transaction(s) cut after shutdown_timeout"
                + " (not answered: Postfix retries them)" : ""));
    }

    @Override
    public void close() {
        stop();
    }

    boolean draining() {
        return draining;
    }

    String hostName() {
        return hostName;
    }

    Metrics metrics() {
        return metrics;
    }

    BytesInFlight bytesInFlight() {
        return bytesInFlight;
    }

    DeliveryJournal journal() {
        return journal;
    }

    ContentFilter filter() {
        return filter;
    }

    /** A message refused before the filter saw it: a bare CR or LF ({@link FilterTransaction#bareLineBreak}). */
    void refusedBareLineBreak(String sender, String recipient, int size, String what, int at) {
        log.line("from=<" + sender + "> to=<" + recipient + "> size=" + size + " exit=" + dev.hackablemail.filter.SysExits.DATAERR
                + " reason=\"bare " + what + " at byte " + at + ": refused\"");
        metrics.message(Metrics.Result.REJECTED, dev.hackablemail.filter.SysExits.DATAERR, 0, 0);
    }

    /** The health endpoint's page: every counter, and the state. */
    String metricsText() {
        return metrics.prometheus(core.cachedPlugins(), journal.size(), draining);
    }

    /** New sessions get 421 while draining; sessions are counted for the metrics. */
    private final class Draining implements SessionHandler {
        @Override
        public SessionAcceptance accept(Session session) {
            if (draining) {
                return SessionAcceptance.failure(421, "4.3.2 " + hostName + " shutting down, try again later");
            }
            metrics.sessions().incrementAndGet();
            return SessionAcceptance.success();
        }

        @Override
        public void onSessionEnd(Session session) {
            metrics.sessions().decrementAndGet();
        }
    }

    private static InetAddress address(String host) throws IOException {
        return InetAddress.getByName(host);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.hackablemail.filter.smtpd;

import dev.hackablemail.filter.Filter;
import dev.hackablemail.filter.FilterLog;
import dev.hackablemail.filter.Outcome;
import dev.hackablemail.filter.Reinjection;
import dev.hackablemail.filter.SysExits;
import dev.hackablemail.runner.report.Reasons;
import java.io.IOException;

/**
 * One message through the shared filter core, as the daemon answers it: the journal is asked
 * first (a message delivered before a crash is answered 250 and not delivered again), every
 * delivery is written to it as soon as it is handed over ({@link HandOvers}), and the
 * filter's exit code becomes the SMTP reply to DATA. One log line per message, in the pipe filter's format.
 */
final class ContentFilter {

    private final Filter filter;
    private final SmtpReinjection reinjection;
    private final DeliveryJournal journal;
    private final HandOvers handOvers;
    private final FilterLog log;
    private final Metrics metrics;
    /** The messages being handled now, by journal key: a second copy waits for the first one's outcome. */
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set when the daemon stopped waiting for the transactions in flight: they hand nothing on any more. */
    private volatile boolean cut;

    ContentFilter(Filter filter, SmtpReinjection reinjection, DeliveryJournal journal, HandOvers handOvers,
            FilterLog log, Metrics metrics) {
        this.filter = filter;
        this.reinjection = reinjection;
        this.journal = journal;
        this.handOvers = handOvers;
        this.log = log;
        this.metrics = metrics;
    }

    /** Handles one message for one recipient; never throws. */
    SmtpReply handle(String sender, String recipient, byte[] message) {
        long start = System.nanoTime();
        Thread.interrupted(); // a stray interrupt must not close the store's file channels
        try {
            String key = DeliveryJournal.key(sender, recipient, message);
            Long deliveredAt = journal.deliveredAt(key);
            if (deliveredAt != null) {
                String when = java.time.Instant.ofEpochMilli(deliveredAt).toString();
                log.line("from=<" + sender + "> to=<" + recipient + "> size=" + message.length
                        + " duplicate=" + key + " exit=0 note=\"delivered at " + when + ", not again\"");
                metrics.message(Metrics.Result.DUPLICATE, SysExits.OK, 0, System.nanoTime() - start);
                return new SmtpReply(250, "2.0.0 Ok: already delivered at " + when);
            }
            if (!inFlight.add(key)) {
                // Postfix's retry of a message whose first attempt is still running (the client
                // gave up waiting, e.g. on a stalled store): handling it too would deliver it twice.
                log.line("from=<" + sender + "> to=<" + recipient + "> size=" + message.length
                        + " duplicate=" + key + " exit=" + SysExits.TEMPFAIL
                        + " reason=\"the same message is being handled on another connection\"");
                metrics.message(Metrics.Result.DEFERRED, SysExits.TEMPFAIL, 0, System.nanoTime() - start);
                return SmtpReply.forExit(SysExits.TEMPFAIL, "hackable-email: the same message is being handled"
                        + " on another connection (an earlier attempt); try again later");
            }
            try {
                Outcome outcome = filter.process(sender, recipient, message, new Journaled(key));
                log.line(outcome.log());
                SmtpReply reply = SmtpReply.forExit(outcome.exitCode(), outcome.reason());
                metrics.message(result(reply), outcome.exitCode(), outcome.pluginNanos(), System.nanoTime() - start);
                return reply;
            } finally {
                inFlight.remove(key);
            }
        } catch (Throwable t) { // OutOfMemoryError included: the mail stays in Postfix's queue
            metrics.message(Metrics.Result.DEFERRED, SysExits.TEMPFAIL, 0, System.nanoTime() - start);
            return SmtpReply.forExit(SysExits.TEMPFAIL, "hackable-email: " + Filter.ourFailure(t));
        } finally {
            Thread.interrupted();
        }
    }

    /** From now on nothing is handed on: the daemon stopped waiting for the transactions in flight. */
    void cut() {
        cut = true;
    }

    private static Metrics.Result result(SmtpReply reply) {
        if (reply.accepted()) {
            return Metrics.Result.ACCEPTED;
        }
        return reply.code() / 100 == 4 ? Metrics.Result.DEFERRED : Metrics.Result.REJECTED;
    }

    /** The daemon's transport for one message: a delivery goes to the journal as soon as it is handed over. */
    private final class Journaled implements Reinjection {
        private final String key;

        Journaled(String key) {
            this.key = key;
        }

        @Override
        public Result deliver(String sender, String recipient, byte[] message) {
            if (cut) {
                return new Result(SysExits.TEMPFAIL, "the daemon stopped (shutdown_timeout) before this message"
                        + " was handed on; its client is not answered and tries again");
            }
            HandOvers.HandOver handOver = handOvers.start(key, sender, recipient);
            Result r = reinjection.deliver(sender, recipient, message, handOver);
            try {
                handOver.finish(r.ok());
            } catch (IOException | RuntimeException e) {
                // Delivered: failing the message now would deliver it twice. Counted and said.
                metrics.journalFailed();
                log.line("from=<" + sender + "> to=<" + recipient + "> journal=failed(" + Reasons.of(e) + ")");
            }
            return r;
        }

        @Override
        public Result reply(String recipient, byte[] message) {
            if (cut) {
                return new Result(SysExits.TEMPFAIL, "the daemon stopped (shutdown_timeout) before this reply was sent");
            }
            return reinjection.reply(recipient, message);
        }
    }
}

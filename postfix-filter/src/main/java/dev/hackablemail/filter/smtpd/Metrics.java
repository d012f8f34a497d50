package dev.hackablemail.filter.smtpd;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the daemon counts since it started: messages by outcome and by filter exit code,
 * plugin and message time, sessions and transactions in flight. Read by the health endpoint
 * in Prometheus' text format.
 */
public final class Metrics {

    /** What became of a message, as Postfix sees it. */
    public enum Result {
        /** 250: delivered, dropped by its plugin, or a signup answered. */
        ACCEPTED,
        /** 250 without doing anything: delivered before a restart (the journal knew it). */
        DUPLICATE,
        /** 4xx: kept by Postfix and retried. */
        DEFERRED,
        /** 5xx: bounced by Postfix. */
        REJECTED
    }

    private final Map<Result, LongAdder> results = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> exits = new ConcurrentHashMap<>();
    private final LongAdder pluginRuns = new LongAdder();
    private final LongAdder pluginNanos = new LongAdder();
    private final LongAdder messageNanos = new LongAdder();
    private final AtomicLong maxMessageNanos = new AtomicLong();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private final LongAdder journalFailures = new LongAdder();
    private final LongAdder handedOverAtEndOfData = new LongAdder();
    private final LongAdder policyRequests = new LongAdder();

    void message(Result result, int exit, long pluginNanos, long totalNanos) {
        results.computeIfAbsent(result, r -> new LongAdder()).increment();
        exits.computeIfAbsent(exit, e -> new LongAdder()).increment();
        if (pluginNanos > 0) {
            pluginRuns.increment();
            this.pluginNanos.add(pluginNanos);
        }
        messageNanos.add(totalNanos);
        maxMessageNanos.accumulateAndGet(totalNanos, Math::max);
    }

    void journalFailed() {
        journalFailures.increment();
    }

    void handedOverAtEndOfData() {
        handedOverAtEndOfData.increment();
    }

    void policyRequest() {
        policyRequests.increment();
    }

    /** Deliveries recorded by the end-of-data policy hop (before the re-injection server's 250). */
    public long handedOverAtEndOfDataCount() {
        return handedOverAtEndOfData.sum();
    }

    AtomicInteger sessions() {
        return sessions;
    }

    AtomicInteger transactions() {
        return transactions;
    }

    public long count(Result result) {
        LongAdder a = results.get(result);
        return a == null ? 0 : a.sum();
    }

    /** The Prometheus text exposition of every counter. */
    public String prometheus(int cachedPlugins, int journalKeys, boolean draining) {
        StringBuilder out = new StringBuilder(1024);
        out.append("# HELP hackable_smtpd_messages_total Messages answered, by what Postfix was told.\n")
                .append("# TYPE hackable_smtpd_messages_total counter\n");
        for (Result r : Result.values()) {
            out.append("hackable_smtpd_messages_total{result=\"").append(r.name().toLowerCase(java.util.Locale.ROOT))
                    .append("\"} ").append(count(r)).append('\n');
        }
        out.append("# HELP hackable_smtpd_exit_total Messages by the filter's exit code (as the pipe filter would exit).\n")
                .append("# TYPE hackable_smtpd_exit_total counter\n");
        new TreeMap<>(exits).forEach((exit, n) -> out.append("hackable_smtpd_exit_total{exit=\"").append(exit)
                .append("\"} ").append(n.sum()).append('\n'));
        counter(out, "hackable_smtpd_plugin_runs_total", "Plugin runs (onEmail calls).", pluginRuns.sum());
        counter(out, "hackable_smtpd_plugin_seconds_total", "Wall time in plugins, deliver and reply included.",
                pluginNanos.sum() / 1e9);
        counter(out, "hackable_smtpd_message_seconds_total", "Wall time from the end of DATA to the answer.",
                messageNanos.sum() / 1e9);
        gauge(out, "hackable_smtpd_message_seconds_max", "The longest time to answer one message.",
                maxMessageNanos.get() / 1e9);
        counter(out, "hackable_smtpd_journal_failures_total", "Deliveries that could not be written to the journal.",
                journalFailures.sum());
        counter(out, "hackable_smtpd_policy_requests_total", "Policy requests answered (reinject_policy).",
                policyRequests.sum());
        counter(out, "hackable_smtpd_handed_over_at_end_of_data_total",
                "Deliveries journaled at the re-injection server's end-of-data policy request.",
                handedOverAtEndOfData.sum());
        gauge(out, "hackable_smtpd_sessions", "SMTP sessions open now.", sessions.get());
        gauge(out, "hackable_smtpd_transactions", "Mail transactions in flight now.", transactions.get());
        gauge(out, "hackable_smtpd_plugins_cached", "Plugins kept compiled and ready.", cachedPlugins);
        gauge(out, "hackable_smtpd_journal_keys", "Delivered messages remembered by the journal.", journalKeys);
        gauge(out, "hackable_smtpd_draining", "1 while shutting down.", draining ? 1 : 0);
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, Number value) {
        metric(out, name, help, "counter", value);
    }

    private static void gauge(StringBuilder out, String name, String help, Number value) {
        metric(out, name, help, "gauge", value);
    }

    private static void metric(StringBuilder out, String name, String help, String type, Number value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}

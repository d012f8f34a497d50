package dev.hackablemail.filter.cli;

import dev.hackablemail.filter.Reinjection;
import dev.hackablemail.filter.smtpd.SmtpReinjection;
import dev.hackablemail.filter.smtpd.SmtpdConfig;
import dev.hackablemail.schema.cli.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hackable-email smtp-load}: an SMTP load for the benchmarks (postfix-filter/bench/smtpd.sh):
 * like {@code smtp-source}, but it measures every message's latency, from MAIL to the reply
 * to the end of DATA, and prints messages per second with percentiles.
 */
@Command(name = "smtp-load",
        header = "Send an SMTP load and print latency percentiles (for the benchmarks).",
        mixinStandardHelpOptions = true,
        description = {
            "Sends MESSAGES distinct mails over SESSIONS concurrent SMTP sessions (connections",
            "kept open) to HOST:PORT and prints messages per second and the latency of one",
            "message (MAIL to the answer to DATA): p50, p90, p99, max. Every --reply-every'th",
            "mail mentions Project XYZ and comes from a sender of its own (the example plugin",
            "answers it)."
        })
final class SmtpLoadCommand implements Callable<Integer> {

    static final Map<String, String> EXIT_CODES = ExitCodes.table(
            0, "every mail was accepted (250)",
            1, "some mail was not accepted",
            ExitCodes.CANNOT_RUN, "it could not run: bad arguments");

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", description = "the SMTP server")
    private String to;

    @Option(names = "--sessions", defaultValue = "10", description = "concurrent sessions (default: ${DEFAULT-VALUE})")
    private int sessions;

    @Option(names = "--messages", defaultValue = "5000", description = "measured messages (default: ${DEFAULT-VALUE})")
    private int messages;

    @Option(names = "--warmup", defaultValue = "1000", description = "messages sent first, not measured (default: ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--size", defaultValue = "2000", description = "approximate message size in bytes (default: ${DEFAULT-VALUE})")
    private int size;

    @Option(names = "--reply-every", defaultValue = "5", paramLabel = "N",
            description = "every N-th mail mentions Project XYZ; 0: none (default: ${DEFAULT-VALUE})")
    private int replyEvery;

    @Option(names = "--recipient", defaultValue = "bob@example.com", description = "(default: ${DEFAULT-VALUE})")
    private String recipient;

    @Option(names = "--label", defaultValue = "smtp-load", description = "the name printed on the result line")
    private String label;

    private static final AtomicInteger RUN = new AtomicInteger();

    @Override
    public Integer call() throws Exception {
        SmtpdConfig.HostPort server = SmtpdConfig.HostPort.parse(to);
        String run = Long.toString(System.currentTimeMillis(), 36) + RUN.incrementAndGet();
        send(server, run + "w", warmup, null);
        long[] latencies = new long[messages];
        long start = System.nanoTime();
        int failed = send(server, run, messages, latencies);
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "%-44s %8.0f msgs/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms"
                + "  (%d messages, %d sessions, %d failed)%n", label, messages / seconds, ms(latencies, 0.50),
                ms(latencies, 0.90), ms(latencies, 0.99), latencies[latencies.length - 1] / 1e6, messages, sessions,
                failed);
        return failed == 0 ? 0 : 1;
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }

    /** Sends {@code count} mails over the sessions; records latencies when asked; returns how many failed. */
    private int send(SmtpdConfig.HostPort server, String run, int count, long[] latencies) throws Exception {
        if (count == 0) {
            return 0;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            done.add(pool.submit(() -> {
                try (SmtpReinjection session = new SmtpReinjection(server, "load.test", Duration.ofSeconds(60), 1)) {
                    for (int i; (i = next.getAndIncrement()) < count;) {
                        boolean xyz = replyEvery > 0 && i % replyEvery == 0;
                        String sender = xyz ? "s" + run + "-" + i + "@sender.test" : "alice@sender.test";
                        long t = System.nanoTime();
                        Reinjection.Result r = session.deliver(sender, recipient, message(run, i, sender, xyz));
                        if (latencies != null) {
                            latencies[i] = System.nanoTime() - t;
                        }
                        if (!r.ok()) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, r.detail());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        if (firstFailure.get() != null) {
            System.err.println("smtp-load: " + failed.get() + " failed, the first: " + firstFailure.get());
        }
        return failed.get();
    }

    private byte[] message(String run, int i, String sender, boolean xyz) {
        StringBuilder m = new StringBuilder(size + 200);
        m.append("From: <").append(sender).append(">\r\nTo: <").append(recipient).append(">\r\n")
                .append("Subject: ").append(xyz ? "Project XYZ status " : "load ").append(i).append("\r\n")
                .append("Message-ID: <").append(run).append('.').append(i).append("@load.test>\r\n\r\n");
        while (m.length() < size) {
            m.append("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n");
        }
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}

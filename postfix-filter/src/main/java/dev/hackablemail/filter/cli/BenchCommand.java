package dev.hackablemail.filter.cli;

import dev.hackablemail.filter.Filter;
import dev.hackablemail.filter.FilterConfig;
import dev.hackablemail.filter.Outcome;
import dev.hackablemail.filter.Sendmail;
import dev.hackablemail.schema.cli.ExitCodes;
import dev.hackablemail.store.GuestStore;
import dev.hackablemail.store.StoreSetting;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hackable-email bench}: messages per second through {@link Filter#process} in one
 * process, with the example plugin (built into the jar) or another, and a sendmail that
 * only counts. Rerunnable; prints one line per scenario.
 */
@Command(name = "bench",
        header = "Measure messages per second through the filter, in process.",
        mixinStandardHelpOptions = true,
        description = {
            "Measures messages per second through the filter's logic in this process:",
            "parse, plugin (onEmail, deliver, reply), reply ledger, with a sendmail that",
            "only counts. Scenarios: a recipient without plugin; the example plugin on a",
            "plain mail (deliver); on a Project XYZ mail (deliver and reply, a new sender",
            "each time so that every reply is written and recorded in the ledger).",
            "Cold start is measured from the shell: postfix-filter/bench/cold-start.sh."
        })
final class BenchCommand implements Callable<Integer> {

    static final Map<String, String> EXIT_CODES = ExitCodes.table(
            0, "measured (the figures are printed)",
            ExitCodes.CANNOT_RUN, "it could not run: bad arguments, a plugin or store that cannot be used");

    static final String RESOURCES = "/dev/hackablemail/filter/bench/";

    @Option(names = "--seconds", defaultValue = "5", description = "measured time per scenario (default: ${DEFAULT-VALUE})")
    private double seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up time per scenario (default: ${DEFAULT-VALUE})")
    private double warmup;

    @Option(names = "--plugin", paramLabel = "FILE", description = "plugin to run (default: the example plugin)")
    private Path plugin;

    @Option(names = "--store", paramLabel = "STORE",
            description = "the store to measure with: a PostgreSQL URL postgresql://USER@HOST:PORT/DB (its password "
                    + "in PGPASSWORD; the bench writes guests guest0..15@bench.test into it) or a folder "
                    + "(default: a new temporary folder)")
    private String storeOption;

    @Option(names = "--execution", defaultValue = "compiler",
            description = "compiler or interpreter (default: ${DEFAULT-VALUE})")
    private String execution;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws IOException {
        byte[] wasm = plugin != null ? Files.readAllBytes(plugin) : resource("plugin.wasm");
        byte[] plain = resource("plain.eml");
        byte[] xyz = resource("project-xyz.eml");
        Path store = Files.createTempDirectory("hackable-bench");
        try {
            Map<String, Object> settings = new java.util.HashMap<>(Map.of("store",
                    storeOption == null ? store.toString() : storeOption, "log", "",
                    "execution", execution.toLowerCase(Locale.ROOT)));
            if (storeOption != null && !StoreSetting.read(Map.of("store", storeOption)).isFolder()) {
                settings.put("cache", store.toString()); // a cold cache per run
            }
            FilterConfig config = FilterConfig.defaults().with(settings);
            int recipients = 16;
            try (GuestStore guests = config.store().open(false)) {
                for (int i = 0; i < recipients; i++) {
                    guests.push(recipient(i), wasm, Instant.now(), "admin", List.of(), 20);
                }
            }
            AtomicLong submissions = new AtomicLong();
            Sendmail counting = (args, message) -> {
                submissions.incrementAndGet();
                return Sendmail.Result.OK;
            };
            Filter filter = new Filter(config, counting, Clock.systemDefaultZone());
            out.printf(Locale.ROOT, "hackable-email bench: %s, %d-byte plugin, execution %s, %.0f s warm-up + %.0f s "
                    + "per scenario, store %s, Java %s, %d cores%n", plugin == null ? "example plugin" : plugin, wasm.length,
                    config.execution().name().toLowerCase(Locale.ROOT), warmup, seconds, config.store().describe(),
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            // A reply goes only to mail that names its recipient (RFC 5230 4.5): one copy per guest.
            byte[][] xyzTo = new byte[recipients][];
            for (int i = 0; i < recipients; i++) {
                xyzTo[i] = new String(xyz, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .replace("To: Bob Example <bob@example.com>", "To: <" + recipient(i) + ">")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            run(filter, "no plugin, pass-through", i -> "nobody@bench.test", i -> plain, submissions);
            run(filter, "example plugin, plain mail (deliver)", BenchCommand::recipient, i -> plain, submissions);
            run(filter, "example plugin, Project XYZ (deliver+reply)", BenchCommand::recipient,
                    i -> xyzTo[(int) (i % recipients)], submissions);
            return 0;
        } finally {
            deleteTree(store);
        }
    }

    private static String recipient(long i) {
        return "guest" + (i % 16) + "@bench.test";
    }

    private void run(Filter filter, String name, java.util.function.LongFunction<String> recipient,
            java.util.function.LongFunction<byte[]> message, AtomicLong submissions) {
        long counter = 0;
        long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < warmEnd) {
            check(filter.process("w" + counter + "@sender.test", recipient.apply(counter), message.apply(counter)));
            counter++;
        }
        long[] latencies = new long[1 << 16];
        int n = 0;
        long before = submissions.get();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now = start;
        while (now < end) {
            check(filter.process("m" + counter + "@sender.test", recipient.apply(counter), message.apply(counter)));
            counter++;
            long t = System.nanoTime();
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = t - now;
            now = t;
        }
        double elapsed = (now - start) / 1e9;
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        out.printf(Locale.ROOT, "%-46s %9.0f msgs/s  p50 %7.1f us  p99 %7.1f us  (%d messages, %.2f sendmail runs each)%n",
                name, n / elapsed, sorted[n / 2] / 1e3, sorted[(int) (n * 0.99)] / 1e3, n,
                (submissions.get() - before) / (double) n);
    }

    private static void check(Outcome outcome) {
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("bench message failed: " + outcome.log());
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = BenchCommand.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCES + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}

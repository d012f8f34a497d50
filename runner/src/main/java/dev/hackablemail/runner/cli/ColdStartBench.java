package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.report.ConsoleReporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The figures a user feels: {@code bin/xtp-sim} started as a fresh process, against a bare
 * JVM measured in the same run, and the per-call time of the first calls in a fresh JVM
 * against the Extism JS runtime on V8. Each run gets its own cache folder
 * ({@code XDG_CACHE_HOME}), so the user's own cache is neither used nor changed.
 */
final class ColdStartBench {

    private static final long ARCHIVE_WAIT_NANOS = 180_000_000_000L;

    private final Path home;
    private final String java = FreshJvmRuns.currentJava();
    private final FreshJvmRuns runs;
    private final PrintWriter out;
    private final int count;

    ColdStartBench(Path home, PrintWriter out, int count) {
        this.home = home;
        this.out = out;
        this.count = count;
        this.runs = new FreshJvmRuns(home, Map.of("JAVA", java));
    }

    /** Whole-command wall times: bare JVM, {@code --version}, the main job on an empty and a warm cache. */
    void startUp() throws IOException {
        List<String> launcher = List.of(home.resolve("bin/xtp-sim").toString());
        List<String> mainJob = concat(launcher, "test", "--path", home.toString(), "--color", "never");
        Path warm = Files.createTempDirectory("xtp-sim-bench-warm");
        try {
            Map<String, String> warmEnv = Map.of("XDG_CACHE_HOME", warm.toString());
            runs.run(mainJob, warmEnv); // fills the compiled-code cache, starts the class archive
            awaitClassArchive(warm.resolve("xtp-sim/jvm"));
            runs.run(mainJob, warmEnv);

            long bare = runs.medianNanos(count, List.of(java, "-Xshare:auto", "-version"), Map.of());
            long version = runs.medianNanos(count, concat(launcher, "--version"), warmEnv);
            long second = runs.medianNanos(count, mainJob, warmEnv);
            long first = firstRuns(mainJob);
            out.printf("cold start: fresh processes, median of %d, %s%n", count, java);
            row("bare JVM (java -Xshare:auto -version)", bare, bare, 1);
            row("xtp-sim --version", version, bare, 3);
            row("main job, first run (empty caches)", first, bare, 20);
            row("main job, next runs", second, bare, 10);
            out.flush();
        } finally {
            deleteTree(warm);
        }
    }

    /**
     * Median per-call time of the first {@code calls} calls of {@code function}, each series
     * in a fresh JVM with warm caches (the median of {@code count} series).
     */
    long firstCallsNanos(Path plugin, String function, String input, int calls) throws IOException {
        List<String> command = concat(List.of(home.resolve("bin/xtp-sim").toString()), "bench",
                "--time-calls", Integer.toString(calls), "--plugin", plugin.toAbsolutePath().toString(),
                "--function", function, "--input", input);
        Path warm = Files.createTempDirectory("xtp-sim-bench-calls");
        try {
            Map<String, String> env = Map.of("XDG_CACHE_HOME", warm.toString());
            runs.run(command, env);
            awaitClassArchive(warm.resolve("xtp-sim/jvm"));
            long[] medians = new long[count];
            for (int i = 0; i < count; i++) {
                medians[i] = JsRuntimeBench.medianOf(runs.run(command, env));
            }
            Arrays.sort(medians);
            return medians[count / 2];
        } finally {
            deleteTree(warm);
        }
    }

    FreshJvmRuns runs() {
        return runs;
    }

    /** Each run on a new, empty cache folder and without a class archive: a first run on a new machine. */
    private long firstRuns(List<String> mainJob) throws IOException {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            Path empty = Files.createTempDirectory("xtp-sim-bench-empty");
            try {
                long start = System.nanoTime();
                runs.run(mainJob, Map.of("XDG_CACHE_HOME", empty.toString(), "XTP_SIM_NO_ARCHIVE", "1"));
                nanos[i] = System.nanoTime() - start;
            } finally {
                deleteTree(empty);
            }
        }
        Arrays.sort(nanos);
        return nanos[count / 2];
    }

    /** The launcher trains the class archive in the background after a first run; wait for it. */
    private static void awaitClassArchive(Path dir) {
        long deadline = System.nanoTime() + ARCHIVE_WAIT_NANOS;
        while (System.nanoTime() - deadline < 0) {
            try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
                if (files.anyMatch(f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot"))) {
                    return;
                }
                Thread.sleep(250);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void row(String what, long nanos, long bare, int goal) {
        double ratio = (double) nanos / bare;
        out.printf(Locale.ROOT, "  %-40s %10s  %5.1f×%s%n", what, ConsoleReporter.formatNanos(nanos), ratio,
                goal == 1 ? "" : String.format(Locale.ROOT, "  (goal ≤ %d×: %s)", goal, ratio <= goal ? "met" : "missed"));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}

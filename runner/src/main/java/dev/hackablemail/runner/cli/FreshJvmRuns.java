package dev.hackablemail.runner.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs commands as fresh processes, the way a user or a CI job runs {@code xtp-sim}, and
 * times them from start to exit. Used by {@code xtp-sim bench} for the cold-start figures.
 */
final class FreshJvmRuns {

    private final Path workingDir;
    private final Map<String, String> environment;

    FreshJvmRuns(Path workingDir, Map<String, String> environment) {
        this.workingDir = workingDir;
        this.environment = Map.copyOf(environment);
    }

    /** The java binary of this process, so that every run uses the same JDK. */
    static String currentJava() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Median wall time of {@code runs} runs of {@code command}, each with {@code extraEnv} added. */
    long medianNanos(int runs, List<String> command, Map<String, String> extraEnv) {
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            run(command, extraEnv);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[runs / 2];
    }

    /**
     * Runs {@code command} to its end and returns its standard output.
     *
     * @throws IllegalStateException when it exits non-zero, with its output
     */
    String run(List<String> command, Map<String, String> extraEnv) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .directory(workingDir.toFile())
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        builder.environment().putAll(extraEnv);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + status + ": "
                        + out.lines().reduce((a, b) -> b).orElse(""));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package dev.hackablemail.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Extism JS runtime on V8 ({@code node} and the {@code @extism/extism} package installed
 * in {@code runner/bench/js} with {@code npm ci}), timing the same calls for comparison.
 * Absent node or package, it says why and the bench goes on without it.
 */
final class JsRuntimeBench {

    static final String SCRIPT = "calls.mjs";

    private final Path dir;
    private final FreshJvmRuns runs;

    JsRuntimeBench(Path dir, FreshJvmRuns runs) {
        this.dir = dir;
        this.runs = runs;
    }

    /** Why the JS runtime cannot run here, or empty when it can. */
    Optional<String> missing() {
        if (!Files.isRegularFile(dir.resolve(SCRIPT))) {
            return Optional.of(dir.resolve(SCRIPT) + " not found");
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@extism/extism"))) {
            return Optional.of("@extism/extism is not installed (run `npm ci` in " + dir + ")");
        }
        try {
            runs.run(List.of("node", "--version"), Map.of());
        } catch (RuntimeException e) {
            return Optional.of("node is not on the PATH");
        }
        return Optional.empty();
    }

    /** Median nanoseconds of the first {@code calls} calls in a fresh node process. */
    long medianNanos(Path plugin, String function, int calls, String input) {
        String json = runs.run(List.of("node", "--no-warnings", dir.resolve(SCRIPT).toString(),
                plugin.toAbsolutePath().toString(), function, Integer.toString(calls), input), Map.of());
        return medianOf(json);
    }

    static long medianOf(String json) {
        try {
            JsonNode node = new ObjectMapper().readTree(json);
            if (node == null || !node.has("medianNanos")) {
                throw new IllegalStateException("no medianNanos in the timing output: " + json.strip());
            }
            return node.get("medianNanos").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException("timing output is not JSON: " + json.strip(), e);
        }
    }
}

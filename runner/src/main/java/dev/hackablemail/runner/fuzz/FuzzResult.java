package dev.hackablemail.runner.fuzz;

import java.util.List;

/**
 * What a fuzzing run found.
 *
 * @param export the fuzzed export
 * @param seed the seed that reproduces the run
 * @param runs how many inputs ran
 * @param fuzzNanos time spent running inputs
 * @param shrinkNanos time spent shrinking failures
 * @param failures at most one failure per property, in {@link Property} order
 */
public record FuzzResult(String export, long seed, int runs, long fuzzNanos, long shrinkNanos,
        List<FuzzFailure> failures) {

    public FuzzResult {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /** Inputs run per second of fuzzing (shrinking not counted). */
    public double inputsPerSecond() {
        return fuzzNanos == 0 ? 0 : runs * 1e9 / fuzzNanos;
    }
}

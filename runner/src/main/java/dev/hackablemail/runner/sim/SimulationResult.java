package dev.hackablemail.runner.sim;

import java.time.Duration;

/**
 * How a simulation ended.
 *
 * @param name the simulation's name
 * @param passed assertions that held
 * @param failed assertions that failed, failed plugin calls included
 * @param testReturnCode what the test module's {@code test} export returned (null if it
 *     did not return: it trapped, timed out or misused the harness)
 * @param error why the run failed: with a non-zero {@code testReturnCode}, the test module's
 *     own message (set with {@code error_set}, as a JS test that throws does) or null if it
 *     set none; without one, the trap, timeout or misuse that stopped it, or the module that
 *     failed to initialize; null when it returned 0
 * @param elapsed wall time of the run
 */
public record SimulationResult(
        String name, int passed, int failed, Integer testReturnCode, String error, Duration elapsed) {

    /** Every assertion held and {@code test} returned 0. */
    public boolean successful() {
        return failed == 0 && error == null && testReturnCode != null && testReturnCode == 0;
    }

    /** Why the run failed, for a person, or null if it did not: "test returned -1: its message", the trap... */
    public String failure() {
        if (testReturnCode != null && testReturnCode != 0) {
            return "test returned " + testReturnCode + (error == null ? "" : ": " + error);
        }
        return error;
    }
}

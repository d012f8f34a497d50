package dev.hackablemail.runner.fuzz;

import java.util.Arrays;
import java.util.List;

/**
 * One call the plugin made to a host function while fuzzing.
 *
 * @param function the import's name
 * @param payload what the plugin passed
 * @param answer what the host (mock or generated) returned
 * @param problems how the payload breaks the import's declared input type; empty when it fits
 */
record HostCall(String function, byte[] payload, byte[] answer, List<String> problems) {

    HostCall {
        problems = List.copyOf(problems);
    }

    /** Same function, payload and answer. */
    boolean sameAs(HostCall other) {
        return function.equals(other.function) && Arrays.equals(payload, other.payload)
                && Arrays.equals(answer, other.answer);
    }
}

package dev.hackablemail.junit;

import org.junit.platform.commons.JUnitException;

/**
 * A simulation that did not end well as a whole: its test module returned non-zero, trapped
 * or timed out, or its build failed. Failed asserts fail their own tests instead.
 */
final class SimulationFailure extends JUnitException {

    private static final long serialVersionUID = 1L;

    SimulationFailure(String message) {
        super(message);
    }
}

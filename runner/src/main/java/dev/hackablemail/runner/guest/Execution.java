package dev.hackablemail.runner.guest;

import java.util.Locale;

/**
 * How Chicory runs guest code. Every setting that chooses it is called {@code execution} and
 * takes {@code compiler} or {@code interpreter} (xtp-sim's {@code --execution}, the filter's
 * and the push service's {@code execution}, the JUnit engine's {@code xtp.simulation.execution}).
 */
public enum Execution {
    /** Wasm compiled to JVM bytecode once per module (by digest) and reused: the default. */
    COMPILER,
    /** Chicory's interpreter: no compile time, much slower calls. */
    INTERPRETER;

    /**
     * The mode a setting names, in any case.
     *
     * @throws IllegalArgumentException {@code 'TEXT' is neither compiler nor interpreter}
     */
    public static Execution named(String text) {
        String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Execution mode : values()) {
            if (mode.settingName().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is neither compiler nor interpreter");
    }

    /** How settings write this mode: {@code compiler} or {@code interpreter}. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.hackablemail.runner.guest;

/** How Chicory runs guest code. */
public enum Execution {
    /** Wasm compiled to JVM bytecode once per module (by digest) and reused: the default. */
    COMPILER,
    /** Chicory's interpreter: no compile time, much slower calls. */
    INTERPRETER
}

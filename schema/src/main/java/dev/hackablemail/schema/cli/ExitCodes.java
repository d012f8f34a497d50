package dev.hackablemail.schema.cli;

/** The exit codes of these commands (picocli's own usage errors are 2 as well). */
public final class ExitCodes {

    /** Everything checked out. */
    public static final int CLEAN = 0;
    /** The input was read and has problems; they were listed. */
    public static final int PROBLEMS = 1;
    /** The input could not be used: missing, unreadable, not YAML, not Wasm, bad arguments. */
    public static final int UNUSABLE = 2;

    private ExitCodes() {}
}

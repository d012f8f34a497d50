package dev.hackablemail.runner.cli;

/** What {@code xtp-sim} exits with; scripts rely on these. */
final class ExitCodes {

    /** Every assert passed and {@code test} returned 0 (or the call succeeded). */
    static final int OK = 0;
    /** The run completed but failed: an assert failed, test returned non-zero, a plugin call failed. */
    static final int FAILED = 1;
    /** It could not run: bad arguments, a missing or invalid module, a broken xtp.toml. */
    static final int CANNOT_RUN = 2;

    private ExitCodes() {}
}

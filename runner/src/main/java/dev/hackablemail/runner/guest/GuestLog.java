package dev.hackablemail.runner.guest;

/** Where the log lines of guests ({@code log_*} calls, WASI stdout and stderr) go. */
@FunctionalInterface
public interface GuestLog {

    /** Extism's log levels, least to most severe. */
    enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    void log(String module, Level level, String message);

    /** Drops everything. */
    GuestLog NONE = (module, level, message) -> {};
}

package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.runner.guest.GuestLog;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Limits, execution mode and guest logging: the options every command that runs Wasm shares. */
final class GuestOptions {

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = Conversions.DurationConverter.class,
            description = "Wall-time limit of each plugin call (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--memory-limit", paramLabel = "SIZE", defaultValue = "64MiB",
            converter = Conversions.MemoryConverter.class,
            description = "Largest linear memory a module may grow to, rounded up to whole 64KiB pages, "
                    + "at most 4GiB (default: ${DEFAULT-VALUE}).")
    int memoryPages;

    @Option(names = "--kernel-limit", paramLabel = "SIZE", defaultValue = "64MiB",
            converter = Conversions.PositiveSizeConverter.class,
            description = "Most bytes a guest may allocate through the Extism kernel in one call "
                    + "(default: ${DEFAULT-VALUE}).")
    long kernelLimit;

    @Option(names = "--output-limit", paramLabel = "SIZE", defaultValue = "16MiB",
            converter = Conversions.SizeConverter.class,
            description = "Largest output one call may return (default: ${DEFAULT-VALUE}).")
    long outputLimit;

    @Option(names = "--execution", paramLabel = "MODE", defaultValue = "compiler",
            converter = Conversions.ExecutionConverter.class,
            description = "compiler (Wasm compiled to JVM bytecode) or interpreter (no compile time, "
                    + "slower calls) (default: ${DEFAULT-VALUE}).")
    Execution execution;

    // the flag of earlier releases, kept so that scripts using it go on working
    @Option(names = "--interpreter", hidden = true)
    boolean interpreter;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "warn",
            converter = Conversions.LogLevelConverter.class,
            description = "Show guest log lines (log_*, WASI stdout/stderr) at this level and above: "
                    + "trace, debug, info, warn, error, off (default: ${DEFAULT-VALUE}).")
    String logLevel;

    GuestLimits limits() {
        return new GuestLimits(timeout, memoryPages, kernelLimit, outputLimit);
    }

    Execution execution() {
        return interpreter ? Execution.INTERPRETER : execution;
    }

    GuestLog.Level level() {
        String name = logLevel.toUpperCase(Locale.ROOT);
        if (name.equals("OFF")) {
            return GuestLog.Level.ERROR;
        }
        try {
            return GuestLog.Level.valueOf(name.equals("WARNING") ? "WARN" : name);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.TypeConversionException("unknown log level '" + logLevel + "'");
        }
    }

    /** Guest log lines on {@code err}, prefixed with the module's name. */
    GuestLog log(PrintWriter err) {
        if (logLevel.equalsIgnoreCase("off")) {
            return GuestLog.NONE;
        }
        GuestLog.Level threshold = level();
        return (module, level, message) -> {
            if (level.compareTo(threshold) >= 0) {
                err.println("[" + shortName(module) + "] " + level + " " + message);
                err.flush();
            }
        };
    }

    private static String shortName(String module) {
        int slash = module.lastIndexOf('/');
        return slash < 0 ? module : module.substring(slash + 1);
    }
}

package dev.hackablemail.junit;

import static dev.hackablemail.junit.Constants.BUILD_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.EXECUTION_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.KERNEL_MEMORY_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.LOG_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.MEMORY_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.NAMING_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.OUTPUT_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.PLUGIN_BASEDIR_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.PLUGIN_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.RUN_TIMEOUT_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.SEED_PROPERTY_NAME;
import static dev.hackablemail.junit.Constants.TIMEOUT_PROPERTY_NAME;

import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLog;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.platform.engine.ConfigurationParameters;

/**
 * The engine's configuration parameters (see {@link Constants}), read once per discovery
 * and once per execution.
 *
 * @param limits the default limits of every simulation
 * @param execution how Chicory runs the modules
 * @param plugin the plugin that replaces every simulation's own, if any
 * @param build whether {@code xtp.toml} build commands run
 * @param logLevel the least severe guest log line printed; null prints none
 * @param seed the seed of every simulation's WASI clock and random bytes; empty for the real ones
 * @param naming how asserts are named
 */
record EngineConfiguration(Limits limits, Execution execution, Optional<Path> plugin, boolean build,
        GuestLog.Level logLevel, Optional<Long> seed, AssertNaming naming) {

    private static final Map<String, String> LIMIT_KEYS = Map.of(
            TIMEOUT_PROPERTY_NAME, "timeout",
            RUN_TIMEOUT_PROPERTY_NAME, "run_timeout",
            MEMORY_PROPERTY_NAME, "memory",
            KERNEL_MEMORY_PROPERTY_NAME, "kernel_memory",
            OUTPUT_PROPERTY_NAME, "output");

    /**
     * Reads the parameters; each bad value is reported to {@code problems} (naming the key)
     * and left at its default.
     */
    static EngineConfiguration read(ConfigurationParameters parameters, Consumer<String> problems) {
        Limits limits = Limits.NONE;
        for (Map.Entry<String, String> key : LIMIT_KEYS.entrySet()) {
            Optional<String> value = value(parameters, key.getKey());
            if (value.isPresent()) {
                try {
                    limits = limits.with(key.getValue(), value.get());
                } catch (IllegalArgumentException e) {
                    problems.accept(key.getKey() + ": " + e.getMessage());
                }
            }
        }
        Execution execution = Execution.COMPILER;
        Optional<String> executionName = value(parameters, EXECUTION_PROPERTY_NAME);
        if (executionName.isPresent()) {
            try {
                execution = Execution.named(executionName.get());
            } catch (IllegalArgumentException e) {
                problems.accept(EXECUTION_PROPERTY_NAME + ": " + e.getMessage());
            }
        }
        Optional<Path> plugin = Optional.empty();
        Optional<String> pluginName = value(parameters, PLUGIN_PROPERTY_NAME);
        if (pluginName.isPresent()) {
            try {
                Path base = value(parameters, PLUGIN_BASEDIR_PROPERTY_NAME).map(Path::of).orElse(Path.of(""));
                plugin = Optional.of(base.resolve(pluginName.get().trim()).toAbsolutePath().normalize());
            } catch (InvalidPathException e) {
                problems.accept(PLUGIN_PROPERTY_NAME + ": not a path: " + e.getMessage());
            }
        }
        boolean build = false;
        Optional<String> buildValue = value(parameters, BUILD_PROPERTY_NAME);
        if (buildValue.isPresent()) {
            String text = buildValue.get().trim().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                build = text.equals("true");
            } else {
                problems.accept(BUILD_PROPERTY_NAME + ": '" + buildValue.get() + "' is neither true nor false");
            }
        }
        GuestLog.Level logLevel = null;
        Optional<String> logValue = value(parameters, LOG_PROPERTY_NAME);
        if (logValue.isPresent() && !logValue.get().trim().equalsIgnoreCase("off")) {
            try {
                logLevel = GuestLog.Level.valueOf(logValue.get().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.accept(LOG_PROPERTY_NAME + ": '" + logValue.get()
                        + "' is not one of off, error, warn, info, debug, trace");
            }
        }
        Optional<Long> seed = Optional.empty();
        Optional<String> seedValue = value(parameters, SEED_PROPERTY_NAME);
        if (seedValue.isPresent()) {
            try {
                seed = Optional.of(Long.valueOf(seedValue.get().trim()));
            } catch (NumberFormatException e) {
                problems.accept(SEED_PROPERTY_NAME + ": '" + seedValue.get() + "' is not a whole number");
            }
        }
        AssertNaming naming = AssertNaming.LONG;
        Optional<String> namingValue = value(parameters, NAMING_PROPERTY_NAME);
        if (namingValue.isPresent()) {
            try {
                naming = AssertNaming.valueOf(namingValue.get().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.accept(NAMING_PROPERTY_NAME + ": '" + namingValue.get() + "' is neither long nor short");
            }
        }
        return new EngineConfiguration(limits, execution, plugin, build, logLevel, seed, naming);
    }

    private static Optional<String> value(ConfigurationParameters parameters, String key) {
        return parameters.get(key).filter(v -> !v.isBlank());
    }

    /** Where guest log lines go: standard error, from {@link #logLevel} up. */
    GuestLog log() {
        return log(System.err);
    }

    /**
     * Guest log lines from {@link #logLevel} up on {@code err}. The level is checked here:
     * WASI stdout and stderr lines reach the log at their fixed level (info, warn) whatever
     * level the guest was told.
     */
    GuestLog log(java.io.PrintStream err) {
        if (logLevel == null) {
            return GuestLog.NONE;
        }
        return (module, level, message) -> {
            if (level.compareTo(logLevel) >= 0) {
                err.println("[" + module + "] " + level + " " + message);
            }
        };
    }
}

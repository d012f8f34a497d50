package dev.hackablemail.runner.config;

import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a guest's plugin runs, as a host's configuration says it ({@code plugin_timeout},
 * {@code plugin_memory}, {@code plugin_kernel_memory}, {@code plugin_output},
 * {@code execution}): read by the filter and by the push service, which simulates a plugin
 * the way the filter will run it. Errors are {@link IllegalArgumentException}s naming the key.
 */
public final class PluginLimitsSetting {

    /** The limits of a plugin call: 10 s, 64 MiB of memory and of kernel blocks, 64 KiB of output. */
    public static final GuestLimits DEFAULTS = new GuestLimits(Duration.ofSeconds(10), 1024, 64L << 20, 64L << 10);
    /** The keys read here. */
    public static final Set<String> KEYS = Set.of("plugin_timeout", "plugin_memory", "plugin_kernel_memory",
            "plugin_output", "execution");

    private PluginLimitsSetting() {}

    /** The limits of one plugin call, read with {@link Quantities}' rules. */
    public static GuestLimits limits(Map<String, Object> values) {
        return DEFAULTS
                .withTimeout(read(values, "plugin_timeout", Quantities::positiveDuration, DEFAULTS.timeout()))
                .withMaxKernelBytes(read(values, "plugin_kernel_memory", Quantities::positiveBytes,
                        DEFAULTS.maxKernelBytes()))
                .withMaxOutputBytes(read(values, "plugin_output", Quantities::bytes, DEFAULTS.maxOutputBytes()))
                .withMaxMemoryPages(read(values, "plugin_memory", Quantities::memoryPages, DEFAULTS.maxMemoryPages()));
    }

    /** Compiled to JVM bytecode (the default) or interpreted. */
    public static Execution execution(Map<String, Object> values) {
        return read(values, "execution", Execution::named, Execution.COMPILER);
    }

    private static <T> T read(Map<String, Object> values, String key, Function<String, T> reader, T fallback) {
        String text = text(values, key);
        if (text == null) {
            return fallback;
        }
        try {
            return reader.apply(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static String text(Map<String, Object> values, String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException(key + " must be a single value");
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? null : s;
    }
}

package dev.hackablemail.runner.config;

import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a guest's plugin runs, as the mail configuration says it ({@code plugin_timeout},
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

    /** The limits of one plugin call. */
    public static GuestLimits limits(Map<String, Object> values) {
        GuestLimits limits = DEFAULTS
                .withTimeout(duration(values, "plugin_timeout", DEFAULTS.timeout()))
                .withMaxKernelBytes(size(values, "plugin_kernel_memory", DEFAULTS.maxKernelBytes()))
                .withMaxOutputBytes(size(values, "plugin_output", DEFAULTS.maxOutputBytes()));
        long memory = size(values, "plugin_memory", (long) DEFAULTS.maxMemoryPages() * GuestLimits.PAGE_SIZE);
        if (memory < GuestLimits.PAGE_SIZE || memory > 65536L * GuestLimits.PAGE_SIZE) {
            throw new IllegalArgumentException("plugin_memory must be between 64KiB and 4GiB");
        }
        return limits.withMaxMemoryPages((int) (memory / GuestLimits.PAGE_SIZE));
    }

    /** Compiled to JVM bytecode (the default) or interpreted. */
    public static Execution execution(Map<String, Object> values) {
        String text = text(values, "execution");
        if (text == null) {
            return Execution.COMPILER;
        }
        try {
            return Execution.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("execution must be 'compiler' or 'interpreter', got '"
                    + text.toLowerCase(Locale.ROOT) + "'");
        }
    }

    private static Duration duration(Map<String, Object> values, String key, Duration fallback) {
        String text = text(values, key);
        if (text == null) {
            return fallback;
        }
        try {
            Duration d = Quantities.duration(text);
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static long size(Map<String, Object> values, String key, long fallback) {
        String text = text(values, key);
        if (text == null) {
            return fallback;
        }
        try {
            return Quantities.bytes(text);
        } catch (IllegalArgumentException e) {
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

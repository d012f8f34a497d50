package dev.hackablemail.junit;

import dev.hackablemail.runner.config.Quantities;
import dev.hackablemail.runner.guest.GuestLimits;
import java.time.Duration;
import java.util.List;

/**
 * Limits that a configuration parameter or a simulation file sets; a null field is not set
 * and leaves the limit underneath it in place. Values are read by {@link Quantities}, as
 * everywhere else: timeouts and the kernel limit must be more than zero, memory is rounded
 * up to whole 64 KiB pages.
 */
record Limits(Duration timeout, Duration runTimeout, Integer memoryPages, Long kernelBytes, Long outputBytes) {

    static final Limits NONE = new Limits(null, null, null, null, null);

    /** The keys of a simulation file's {@code limits}, in the order documented. */
    static final List<String> KEYS = List.of("timeout", "run_timeout", "memory", "kernel_memory", "output");

    /**
     * This with {@code key} (one of {@link #KEYS}) set from {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    Limits with(String key, String text) {
        return switch (key) {
            case "timeout" -> new Limits(Quantities.positiveDuration(text), runTimeout, memoryPages, kernelBytes,
                    outputBytes);
            case "run_timeout" -> new Limits(timeout, Quantities.positiveDuration(text), memoryPages, kernelBytes,
                    outputBytes);
            case "memory" -> new Limits(timeout, runTimeout, Quantities.memoryPages(text), kernelBytes, outputBytes);
            case "kernel_memory" -> new Limits(timeout, runTimeout, memoryPages, Quantities.positiveBytes(text),
                    outputBytes);
            case "output" -> new Limits(timeout, runTimeout, memoryPages, kernelBytes, Quantities.bytes(text));
            default -> throw new IllegalArgumentException("unknown limit '" + key + "'");
        };
    }

    /** These limits, each one {@code other} sets replaced by its value. */
    Limits overriddenBy(Limits other) {
        return new Limits(
                other.timeout != null ? other.timeout : timeout,
                other.runTimeout != null ? other.runTimeout : runTimeout,
                other.memoryPages != null ? other.memoryPages : memoryPages,
                other.kernelBytes != null ? other.kernelBytes : kernelBytes,
                other.outputBytes != null ? other.outputBytes : outputBytes);
    }

    /** {@code base} with the limits set here. */
    GuestLimits applyTo(GuestLimits base) {
        GuestLimits limits = base;
        if (timeout != null) {
            limits = limits.withTimeout(timeout);
        }
        if (memoryPages != null) {
            limits = limits.withMaxMemoryPages(memoryPages);
        }
        if (kernelBytes != null) {
            limits = limits.withMaxKernelBytes(kernelBytes);
        }
        if (outputBytes != null) {
            limits = limits.withMaxOutputBytes(outputBytes);
        }
        return limits;
    }

    /** The run timeout set here, else {@code base}. */
    Duration runTimeoutOr(Duration base) {
        return runTimeout != null ? runTimeout : base;
    }
}

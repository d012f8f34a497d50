package dev.hackablemail.runner.guest;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds every guest call runs under. A guest that exceeds one fails that call with a
 * {@link GuestCallException} of kind {@link GuestCallException.Kind#LIMIT} or
 * {@link GuestCallException.Kind#TIMEOUT} naming the limit; the host never hangs and never
 * runs out of heap because of a guest.
 *
 * @param timeout wall time of one call (the worker thread is interrupted when it passes)
 * @param maxMemoryPages the most 64 KiB pages a module's own linear memory may grow to
 * @param maxKernelBytes the most bytes a guest may allocate through the Extism kernel in one
 *     call (input, output and every block it asks for)
 * @param maxOutputBytes the largest output a call may return
 */
public record GuestLimits(Duration timeout, int maxMemoryPages, long maxKernelBytes, long maxOutputBytes) {

    public static final int PAGE_SIZE = 65536;

    /** 5 s a call, 64 MiB of linear memory, 64 MiB through the kernel, 16 MiB of output. */
    public static final GuestLimits DEFAULTS =
            new GuestLimits(Duration.ofSeconds(5), 1024, 64L << 20, 16L << 20);

    public GuestLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
            throw new IllegalArgumentException("memory pages must be 1..65536, got " + maxMemoryPages);
        }
        if (maxKernelBytes < 1 || maxOutputBytes < 0) {
            throw new IllegalArgumentException("byte limits must be positive");
        }
    }

    public GuestLimits withTimeout(Duration value) {
        return new GuestLimits(value, maxMemoryPages, maxKernelBytes, maxOutputBytes);
    }

    public GuestLimits withMaxMemoryPages(int value) {
        return new GuestLimits(timeout, value, maxKernelBytes, maxOutputBytes);
    }

    public GuestLimits withMaxKernelBytes(long value) {
        return new GuestLimits(timeout, maxMemoryPages, value, maxOutputBytes);
    }

    public GuestLimits withMaxOutputBytes(long value) {
        return new GuestLimits(timeout, maxMemoryPages, maxKernelBytes, value);
    }
}

package org.extism.sdk.chicory;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import java.util.function.Function;

/**
 * The two things the runner needs from the Extism SDK's kernel that the SDK keeps
 * package-private: building a kernel on an already compiled machine factory (so the
 * kernel is compiled once per process, not once per plugin instance) and reading the
 * output length before copying the output (so an oversized output is refused, not
 * copied onto the heap), and resetting a kernel so it can serve a fresh plugin instance
 * (the SDK parses the kernel module anew for every kernel, which costs milliseconds).
 *
 * <p>This class lives in the SDK's package on purpose; it is the only such class.
 */
public final class KernelAccess {

    private KernelAccess() {}

    /** A new Extism kernel whose instance runs on {@code machineFactory} (null: interpreter). */
    public static Kernel newKernel(Function<Instance, Machine> machineFactory) {
        return new Kernel(machineFactory);
    }

    /** Frees every block of the kernel (input, output, error and guest blocks). */
    public static void reset(Kernel kernel) {
        kernel.reset.apply();
    }

    /** The length in bytes of the output the guest set with {@code output_set}. */
    public static long outputLength(Kernel kernel) {
        return kernel.outputLen.apply()[0];
    }

    /** The length of the kernel block at {@code offset}; 0 when no block starts there. */
    public static long blockLength(Kernel kernel, long offset) {
        return kernel.length.apply(offset)[0];
    }
}

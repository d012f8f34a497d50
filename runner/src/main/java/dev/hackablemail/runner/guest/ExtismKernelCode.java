package dev.hackablemail.runner.guest;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import java.util.function.Function;
import org.extism.sdk.chicory.ConfigProvider;
import org.extism.sdk.chicory.HostEnv;
import org.extism.sdk.chicory.Kernel;
import org.extism.sdk.chicory.KernelAccess;

/**
 * The code of the Extism kernel module shipped inside the SDK: compiled to JVM classes at
 * build time ({@code ExtismKernelCompiled}, made by chicory-compiler-maven-plugin from the
 * SDK's {@code extism-runtime.wasm}), so that no run compiles it.
 */
final class ExtismKernelCode {

    private ExtismKernelCode() {}

    private static volatile boolean warm;

    /**
     * Runs the kernel's hot paths (input, alloc, load, store, output) a few thousand times
     * on a throwaway kernel, so that the JVM has compiled them before a guest call is
     * timed. Costs about 100 ms once per process; simulations call it, the filter not.
     */
    static void warmUp(Execution execution) {
        if (warm) {
            return;
        }
        Kernel kernel = KernelAccess.newKernel(machineFactory(execution));
        HostEnv env = new HostEnv(kernel, ConfigProvider.empty(), new String[0], false, HttpSupport.config(),
                new com.dylibso.chicory.log.SystemLogger());
        byte[] input = "warming up the Extism kernel".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < 3000; i++) {
            env.setInput(input);
            long block = env.memory().writeBytes(input);
            env.memory().readBytes(block);
            KernelAccess.outputLength(kernel);
        }
        warm = true;
    }

    /** Null (Chicory's interpreter) or the kernel's build-time compiled machine. */
    static Function<Instance, Machine> machineFactory(Execution execution) {
        return execution == Execution.INTERPRETER ? null : ExtismKernelCompiled::create;
    }
}

package dev.hackablemail.runner.guest;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.extism.sdk.chicory.Kernel;

/** The Extism kernel module shipped inside the SDK, parsed and compiled once per process. */
final class ExtismKernelCode {

    private static final String RESOURCE = "extism-runtime.wasm";

    private ExtismKernelCode() {}

    private static final class Holder {
        static final GuestModule KERNEL = load();
    }

    static Function<Instance, Machine> machineFactory(Execution execution) {
        return Holder.KERNEL.machineFactory(execution);
    }

    private static GuestModule load() {
        try (InputStream in = Kernel.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the Extism SDK jar");
            }
            return GuestModule.of(RESOURCE, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

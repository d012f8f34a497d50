package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.extism.sdk.chicory.Kernel;
import org.junit.jupiter.api.Test;

class ExtismKernelCodeTest {

    @Test
    void theBuildTimeKernelIsTheSdksKernel() throws IOException {
        WasmModule sdk;
        try (InputStream in = Kernel.class.getClassLoader().getResourceAsStream("extism-runtime.wasm")) {
            sdk = Parser.parse(in);
        }
        WasmModule compiled = ExtismKernelCompiled.load();
        assertThat(signature(compiled)).isEqualTo(signature(sdk));
    }

    @Test
    void pluginsRunOnTheBuildTimeKernel() {
        assertThat(ExtismKernelCode.machineFactory(Execution.COMPILER)).isNotNull();
        assertThat(ExtismKernelCode.machineFactory(Execution.INTERPRETER)).isNull();
        try (GuestPlugin plugin = PluginTemplate.builder(GuestModule.of("echo.wasm", Wat.bytes("limits.wat")))
                .build().instantiate()) {
            byte[] output = plugin.call("echo", "through the kernel".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(output, StandardCharsets.UTF_8)).isEqualTo("through the kernel");
        }
    }

    /** Exports with their function types, and the function count: what compiled code relies on. */
    private static List<String> signature(WasmModule module) {
        List<String> parts = new ArrayList<>();
        parts.add("functions " + module.functionSection().functionCount());
        var exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            var export = exports.getExport(i);
            int typeIndex = module.functionSection().getFunctionType(export.index());
            FunctionType type = module.typeSection().getType(typeIndex);
            parts.add(export.name() + " " + type);
        }
        return parts;
    }
}

package dev.hackablemail.schema.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a plugin's Wasm module against a schema, without running it:
 *
 * <ul>
 *   <li>every export of the schema is a function export of type {@code () -> i32};</li>
 *   <li>every import from {@code extism:host/user} is a host function the schema declares,
 *       with the type {@link Signatures#hostImport} gives it (usually {@code (i64) -> i64});</li>
 *   <li>nothing is imported from other modules than {@code extism:host/user},
 *       {@code extism:host/env} (the Extism kernel) and {@code wasi_snapshot_preview1}.</li>
 * </ul>
 *
 * <p>Imports from the kernel and WASI are not checked name by name: the linker reports
 * those. Extra exports ({@code memory}, {@code _start}, ...) are fine. Each problem is one
 * line that names the plugin file and, where it helps, the schema file.
 */
public final class PluginChecker {

    public static final String HOST_MODULE = "extism:host/user";
    public static final String KERNEL_MODULE = "extism:host/env";
    public static final String WASI_MODULE = "wasi_snapshot_preview1";

    private PluginChecker() {}

    /** Checks a plugin file; its file name is used in messages. */
    public static List<String> check(Schema schema, Path plugin) throws IOException {
        Path name = plugin.getFileName();
        return check(schema, Files.readAllBytes(plugin), name == null ? plugin.toString() : name.toString());
    }

    /**
     * Checks a plugin's bytes.
     *
     * @param pluginName how messages name the plugin, e.g. {@code plugin.wasm}
     * @return every problem found, exports first; empty when the plugin fits the schema
     * @throws InvalidWasmException when the bytes are not a Wasm module
     */
    public static List<String> check(Schema schema, byte[] wasm, String pluginName) throws InvalidWasmException {
        return check(schema, WasmInterface.read(wasm, pluginName), pluginName);
    }

    /**
     * Checks a plugin module the caller already parsed (a host that runs it next parses it
     * once, not once for the check and once to run it).
     *
     * @return every problem found, exports first; empty when the plugin fits the schema
     */
    public static List<String> check(Schema schema, WasmModule wasm, String pluginName) {
        return check(schema, WasmInterface.of(wasm), pluginName);
    }

    private static List<String> check(Schema schema, WasmInterface module, String pluginName) {
        List<String> problems = new ArrayList<>();
        for (FunctionDecl export : schema.exports().values()) {
            checkExport(module, export, pluginName, schema).ifPresent(problems::add);
        }
        for (WasmInterface.Item imp : module.imports()) {
            checkImport(imp, pluginName, schema).ifPresent(problems::add);
        }
        return problems;
    }

    private static Optional<String> checkExport(WasmInterface module, FunctionDecl export, String plugin, Schema schema) {
        WasmInterface.Item item = module.exports().get(export.name());
        String expected = Signatures.describe(Signatures.export());
        if (item == null) {
            return Optional.of(plugin + ": export " + export.name() + " missing (schema " + schema.source()
                    + " requires it, a function " + expected + ")");
        }
        if (item.kind() != ExternalType.FUNCTION) {
            return Optional.of(plugin + ": export " + export.name() + " is " + Signatures.describe(item.kind())
                    + ", not a function " + expected);
        }
        if (!Signatures.same(item.type(), Signatures.export())) {
            return Optional.of(plugin + ": export " + export.name() + " has type " + Signatures.describe(item.type())
                    + "; an Extism export must be " + expected);
        }
        return Optional.empty();
    }

    private static Optional<String> checkImport(WasmInterface.Item imp, String plugin, Schema schema) {
        String what = plugin + " imports " + imp.module() + "." + imp.name();
        if (imp.module().equals(KERNEL_MODULE) || imp.module().equals(WASI_MODULE)) {
            return Optional.empty();
        }
        if (!imp.module().equals(HOST_MODULE)) {
            return Optional.of(what + ", but a plugin may import only from " + HOST_MODULE + " (host functions), "
                    + KERNEL_MODULE + " (the Extism kernel) and " + WASI_MODULE + " (WASI)");
        }
        Optional<FunctionDecl> declared = schema.hostFunction(imp.name());
        if (declared.isEmpty()) {
            return Optional.of(what + ", which schema " + schema.source() + " does not declare"
                    + (schema.imports().isEmpty() ? " (it declares no host functions)"
                            : " (it declares: " + String.join(", ", schema.imports().keySet()) + ")"));
        }
        String expected = Signatures.describe(Signatures.hostImport(declared.get()));
        if (imp.kind() != ExternalType.FUNCTION) {
            return Optional.of(what + " as " + Signatures.describe(imp.kind()) + "; schema " + schema.source()
                    + " declares a function " + expected);
        }
        if (!Signatures.same(imp.type(), Signatures.hostImport(declared.get()))) {
            return Optional.of(what + " with type " + Signatures.describe(imp.type()) + "; schema " + schema.source()
                    + " declares " + expected);
        }
        return Optional.empty();
    }
}

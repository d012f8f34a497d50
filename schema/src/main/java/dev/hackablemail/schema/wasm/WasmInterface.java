package dev.hackablemail.schema.wasm;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Wasm module shows to the outside: its imports and exports, each with its kind
 * and, for functions, its type. Read with Chicory's parser; nothing is instantiated or run.
 */
final class WasmInterface {

    /** An import or export: its kind, and its type when it is a function (else null). */
    record Item(String module, String name, ExternalType kind, FunctionType type) {}

    private static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6d};

    private final List<Item> imports;
    private final Map<String, Item> exports;

    private WasmInterface(List<Item> imports, Map<String, Item> exports) {
        this.imports = imports;
        this.exports = exports;
    }

    /**
     * Reads a module's interface. Every failure to parse or validate it, whatever Chicory's
     * parser throws on damaged bytes (NullPointerException included), is an
     * {@link InvalidWasmException} "not a valid Wasm module" naming {@code name}.
     */
    static WasmInterface read(byte[] bytes, String name) throws InvalidWasmException {
        if (bytes.length < MAGIC.length || !startsWithMagic(bytes)) {
            throw new InvalidWasmException(name + ": not a valid Wasm module: it does not start with \\0asm", null);
        }
        try {
            return of(Parser.parse(bytes));
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new InvalidWasmException(name + ": not a valid Wasm module: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError | AssertionError e) { // IndexOutOfBounds, NPE...; -ea: AssertionError
            throw new InvalidWasmException(name + ": not a valid Wasm module: " + WasmStructure.problem(bytes).orElse(
                    WasmStructure.UNEXPLAINED), e);
        }
    }

    List<Item> imports() {
        return imports;
    }

    Map<String, Item> exports() {
        return exports;
    }

    /** The interface of a module already parsed. */
    static WasmInterface of(WasmModule module) {
        List<Item> imports = new ArrayList<>();
        List<FunctionType> importedFunctions = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            FunctionType type = null;
            if (imp instanceof FunctionImport) {
                type = module.typeSection().getType(((FunctionImport) imp).typeIndex());
                importedFunctions.add(type);
            }
            imports.add(new Item(imp.module(), imp.name(), imp.importType(), type));
        }
        Map<String, Item> exports = new LinkedHashMap<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export exp = module.exportSection().getExport(i);
            FunctionType type = null;
            if (exp.exportType() == ExternalType.FUNCTION) {
                // function indices count the imported functions first, then the module's own
                int index = exp.index();
                type = index < importedFunctions.size()
                        ? importedFunctions.get(index)
                        : module.functionSection().getFunctionType(index - importedFunctions.size(), module.typeSection());
            }
            exports.put(exp.name(), new Item(null, exp.name(), exp.exportType(), type));
        }
        return new WasmInterface(Collections.unmodifiableList(imports), Collections.unmodifiableMap(exports));
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}

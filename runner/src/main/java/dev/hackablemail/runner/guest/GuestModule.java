package dev.hackablemail.runner.guest;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.CompiledModule;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.hackablemail.schema.wasm.WasmStructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A parsed Wasm module and, once asked for, its compiled code. Modules are cached by the
 * SHA-256 of their bytes for the life of the process, so loading the same file twice,
 * resetting a plugin or running a simulation again never parses or compiles it again.
 */
public final class GuestModule {

    /** How many distinct modules stay parsed and compiled; the least recently used go first. */
    static final int CACHE_CAPACITY = 64;

    /**
     * Parsed and compiled code, shared by every module loaded from the same bytes. Bounded,
     * so that a long-running process that sees many distinct modules (the push service)
     * does not grow without end.
     */
    private static final Map<String, Code> CACHE = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Code> eldest) {
                    return size() > CACHE_CAPACITY;
                }
            });

    private final String name;
    private final String digest;
    private final Code code;

    private GuestModule(String name, String digest, Code code) {
        this.name = name;
        this.digest = digest;
        this.code = code;
    }

    /** Reads and parses a module file; the file name is used in every message about it. */
    public static GuestModule load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GuestLoadException(file + ": no such file");
        } catch (IOException e) {
            throw new GuestLoadException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return of(file.toString(), bytes);
    }

    /** Parses module bytes; {@code name} labels the module in messages. */
    public static GuestModule of(String name, byte[] bytes) {
        String digest = sha256(bytes);
        Code code = CACHE.get(digest);
        if (code == null) {
            code = new Code(parse(name, bytes));
            Code raced = CACHE.putIfAbsent(digest, code);
            code = raced != null ? raced : code;
        }
        return new GuestModule(name, digest, code);
    }

    /**
     * Drops the parsed and compiled code of the module with this digest from the cache
     * (modules already loaded keep working). For a long-running process that is done with a
     * module, such as the push service after checking a pushed plugin.
     */
    public static void forget(String digest) {
        CACHE.remove(digest);
    }

    /** How many distinct modules the cache holds now. */
    public static int cachedModules() {
        return CACHE.size();
    }

    /**
     * Parses and validates module bytes. Every failure, whatever Chicory's parser throws on
     * damaged bytes (NullPointerException included), is "not a valid Wasm module".
     */
    private static WasmModule parse(String name, byte[] bytes) {
        if (bytes.length < 8 || bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') {
            throw new GuestLoadException(name + ": not a valid Wasm module: it does not start with \\0asm");
        }
        try {
            return Parser.parse(bytes);
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new GuestLoadException(name + ": not a valid Wasm module: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError | AssertionError e) { // IndexOutOfBounds, NPE...; -ea: AssertionError
            throw new GuestLoadException(name + ": not a valid Wasm module: " + WasmStructure.problem(bytes).orElse(
                    WasmStructure.UNEXPLAINED), e);
        }
    }

    public String name() {
        return name;
    }

    /** Lower-case hex SHA-256 of the module bytes. */
    public String digest() {
        return digest;
    }

    public WasmModule wasm() {
        return code.module;
    }

    /**
     * The machine factory for this module: null (Chicory's interpreter) or the compiled
     * code, compiled on first use and shared by every instance of every module with the
     * same bytes.
     */
    Function<Instance, Machine> machineFactory(Execution execution) {
        return execution == Execution.INTERPRETER ? null : code.compiled();
    }

    /** The function export {@code name}'s type, if the module exports such a function. */
    public Optional<FunctionType> exportedFunction(String exportName) {
        return Optional.ofNullable(code.exportTypes().get(exportName));
    }

    /** Names of all function exports, in module order. */
    public List<String> exportedFunctionNames() {
        List<String> names = new ArrayList<>();
        var exports = code.module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            if (exports.getExport(i).exportType() == ExternalType.FUNCTION) {
                names.add(exports.getExport(i).name());
            }
        }
        return names;
    }

    /** The module's function imports, in order. */
    public List<FunctionImport> functionImports() {
        List<FunctionImport> imports = new ArrayList<>();
        var section = code.module.importSection();
        for (int i = 0; i < section.importCount(); i++) {
            if (section.getImport(i) instanceof FunctionImport) {
                imports.add((FunctionImport) section.getImport(i));
            }
        }
        return imports;
    }

    /** The Wasm type of one of this module's function imports. */
    public FunctionType importType(FunctionImport imported) {
        return code.module.typeSection().getType(imported.typeIndex());
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A parsed module and its compiled code, compiled once on first use. */
    private static final class Code {
        final WasmModule module;
        private volatile Function<Instance, Machine> compiled;

        Code(WasmModule module) {
            this.module = module;
        }

        private volatile Map<String, FunctionType> exportTypes;

        /** Function exports and their types, computed once (calls look them up). */
        Map<String, FunctionType> exportTypes() {
            Map<String, FunctionType> types = exportTypes;
            if (types == null) {
                types = new java.util.HashMap<>();
                var exports = module.exportSection();
                int imported = 0;
                var imports = module.importSection();
                for (int i = 0; i < imports.importCount(); i++) {
                    if (imports.getImport(i) instanceof FunctionImport) {
                        imported++;
                    }
                }
                for (int i = 0; i < exports.exportCount(); i++) {
                    Export export = exports.getExport(i);
                    if (export.exportType() == ExternalType.FUNCTION) {
                        types.put(export.name(), functionType(export.index(), imported));
                    }
                }
                exportTypes = types;
            }
            return types;
        }

        private FunctionType functionType(int functionIndex, int importedCount) {
            if (functionIndex < importedCount) {
                int seen = 0;
                var imports = module.importSection();
                for (int i = 0; i < imports.importCount(); i++) {
                    if (imports.getImport(i) instanceof FunctionImport && seen++ == functionIndex) {
                        return module.typeSection().getType(((FunctionImport) imports.getImport(i)).typeIndex());
                    }
                }
            }
            int typeIndex = module.functionSection().getFunctionType(functionIndex - importedCount);
            return module.typeSection().getType(typeIndex);
        }

        private Function<Instance, Machine> compile(CompiledCodeCache cache) {
            var builder = MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.SILENT);
            if (cache != null) {
                builder.withCache(cache);
            }
            return builder.compile();
        }

        /*
         * Chicory's compiled factory checks that an instance's module is the very object
         * it compiled; we unwrap it because the kernel builds its own (equal) module
         * object, and equal bytes give structurally equal modules.
         */
        Function<Instance, Machine> compiled() {
            Function<Instance, Machine> factory = compiled;
            if (factory == null) {
                synchronized (this) {
                    if (compiled == null) {
                        Function<Instance, Machine> built;
                        CompiledCodeCache cache = CompiledCodeCache.shared();
                        try {
                            built = compile(cache);
                        } catch (RuntimeException damagedCache) {
                            if (cache == null) {
                                throw damagedCache;
                            }
                            built = compile(null);
                        }
                        compiled = built instanceof CompiledModule
                                ? ((CompiledModule) built).machineFactory()
                                : built;
                    }
                    factory = compiled;
                }
            }
            return factory;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

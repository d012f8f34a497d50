package dev.hackablemail.runner.guest;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;
import java.util.Objects;

/**
 * A function the host offers to guests: its import module and name, its Wasm type, and the
 * Java code behind it. The implementation gets the calling {@link GuestPlugin} so it can
 * read and write blocks in that plugin's Extism memory.
 */
public record HostImport(String module, String name, FunctionType type, Implementation implementation) {

    /** The import module of an Extism plugin's own host functions. */
    public static final String USER_MODULE = "extism:host/user";

    /** The Java side of a host function. */
    @FunctionalInterface
    public interface Implementation {
        long[] call(GuestPlugin caller, long... args);
    }

    /** A host function whose input and output are whole byte blocks (JSON, text...). */
    @FunctionalInterface
    public interface BlockFunction {
        byte[] apply(GuestPlugin caller, byte[] input);
    }

    public HostImport {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(implementation, "implementation");
    }

    public static HostImport of(
            String module, String name, List<ValType> params, List<ValType> results, Implementation impl) {
        return new HostImport(module, name, FunctionType.of(params, results), impl);
    }

    /**
     * An {@code extism:host/user} function of the usual Extism shape {@code (i64) -> i64}:
     * it reads the input block, runs {@code function} and returns a new block holding its
     * result.
     */
    public static HostImport block(String name, BlockFunction function) {
        return of(USER_MODULE, name, List.of(ValType.I64), List.of(ValType.I64), (caller, args) -> {
            byte[] input = caller.readBlock(args[0], "input of " + name);
            return new long[] {caller.writeBlock(function.apply(caller, input))};
        });
    }
}

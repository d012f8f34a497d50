package dev.hackablemail.schema.wasm;

import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.hackablemail.schema.xtp.FunctionDecl;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Wasm function types the Extism ABI gives schema functions, and how to print them.
 *
 * <ul>
 *   <li>An export takes no parameters and returns an i32 status: {@code () -> i32}. Input
 *       and output travel through the Extism kernel, whatever the schema says about them.</li>
 *   <li>An import takes the handle (an i64 kernel offset) of its input and returns the
 *       handle of its output: {@code (i64) -> i64}. Our decision for the cases the ABI
 *       leaves open: an import whose schema declares no input takes no parameter, and one
 *       whose schema declares no output returns nothing. (on-email's deliver and reply
 *       have both, so both are {@code (i64) -> i64}.)</li>
 * </ul>
 */
public final class Signatures {

    private Signatures() {}

    /** What every Extism export must be. */
    public static FunctionType export() {
        return FunctionType.of(List.of(), List.of(ValType.I32));
    }

    /** What the import of a schema's host function must be. */
    public static FunctionType hostImport(FunctionDecl f) {
        return FunctionType.of(
                f.hasInput() ? List.of(ValType.I64) : List.of(),
                f.hasOutput() ? List.of(ValType.I64) : List.of());
    }

    static boolean same(FunctionType a, FunctionType b) {
        return a.params().equals(b.params()) && a.returns().equals(b.returns());
    }

    /** {@code (i64) -> i64}, {@code () -> i32}, {@code (i32, i32) -> ()}. */
    public static String describe(FunctionType type) {
        return "(" + names(type.params()) + ") -> "
                + (type.returns().size() == 1 ? names(type.returns()) : "(" + names(type.returns()) + ")");
    }

    /** "a function", "a memory", "a table", "a global", "a tag". */
    static String describe(ExternalType kind) {
        return "a " + kind.name().toLowerCase(Locale.ROOT);
    }

    private static String names(List<ValType> types) {
        return types.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}

package dev.hackablemail.schema.wasm;

import java.util.Optional;

/**
 * Why a module's bytes are not well formed, in Wasm terms ("unbalanced `end` at byte 0x1a2
 * of function 7"), for the modules Chicory's parser fails on with an exception of its own
 * (a NullPointerException on an {@code end} too many) instead of a reason. It walks the
 * sections and the instructions of each function body, checking their framing and block
 * nesting; it does not type-check. Instructions it does not know (SIMD, exception handling)
 * end the walk without a verdict.
 */
public final class WasmStructure {

    /** The reason given when Chicory's parser fails and this walk finds nothing either. */
    public static final String UNEXPLAINED = "Chicory's parser could not read it, and its sections and blocks"
            + " look well formed (wasm-validate, from wabt, may say more)";

    private static final int CODE_SECTION = 10;
    private static final int IMPORT_SECTION = 2;

    private final byte[] bytes;
    private int at;

    private WasmStructure(byte[] bytes) {
        this.bytes = bytes;
    }

    /** What is wrong with the module's framing or block structure; empty when nothing found. */
    public static Optional<String> problem(byte[] bytes) {
        try {
            return Optional.ofNullable(new WasmStructure(bytes).walk());
        } catch (Truncated e) {
            return Optional.of("it ends inside " + e.where + " (byte 0x" + Integer.toHexString(bytes.length) + ")");
        } catch (Unknown e) {
            return Optional.empty();
        }
    }

    private String walk() {
        at = 8; // \0asm and the version
        int importedFunctions = 0;
        while (at < bytes.length) {
            int id = u8("a section id");
            long size = u32("a section size");
            int start = at;
            if (size > bytes.length - start) {
                return "section " + id + " at byte 0x" + Integer.toHexString(start - 1) + " claims " + size
                        + " bytes; only " + (bytes.length - start) + " follow";
            }
            int end = start + (int) size;
            if (id == IMPORT_SECTION) {
                importedFunctions = importedFunctions(end);
            } else if (id == CODE_SECTION) {
                String problem = code(end, importedFunctions);
                if (problem != null) {
                    return problem;
                }
            }
            at = end;
        }
        return null;
    }

    private int importedFunctions(int end) {
        long count = u32("the import count");
        int functions = 0;
        for (long i = 0; i < count && at < end; i++) {
            skipName();
            skipName();
            int kind = u8("an import kind");
            switch (kind) {
                case 0 -> {
                    u32("a type index");
                    functions++;
                }
                case 1 -> {
                    u8("a table's element type");
                    limits();
                }
                case 2 -> limits();
                case 3 -> {
                    u8("a global's type");
                    u8("a global's mutability");
                }
                default -> throw new Unknown();
            }
        }
        return functions;
    }

    private String code(int end, int importedFunctions) {
        long count = u32("the function count");
        for (long i = 0; i < count; i++) {
            long function = importedFunctions + i;
            long size = u32("a function body's size");
            int bodyStart = at;
            if (size > end - bodyStart) {
                return "the body of function " + function + " at byte 0x" + Integer.toHexString(bodyStart)
                        + " claims " + size + " bytes, past the end of the code section";
            }
            int bodyEnd = bodyStart + (int) size;
            String problem = body(bodyEnd, function);
            if (problem != null) {
                return problem;
            }
            at = bodyEnd;
        }
        return null;
    }

    /** One function body: its locals, then instructions whose blocks nest and end exactly at its last byte. */
    private String body(int bodyEnd, long function) {
        long groups = u32("the local declarations");
        for (long g = 0; g < groups; g++) {
            u32("a local count");
            u8("a local type");
        }
        int depth = 1; // the function's own block
        while (at < bodyEnd) {
            int offset = at;
            int op = u8("an instruction");
            switch (op) {
                case 0x02, 0x03, 0x04 -> {
                    blockType();
                    depth++;
                }
                case 0x0b -> {
                    depth--;
                    if (depth == 0 && at != bodyEnd) {
                        return "unbalanced `end` at byte 0x" + Integer.toHexString(offset) + " of function " + function
                                + ": it ends the function before the last byte of its body (0x"
                                + Integer.toHexString(bodyEnd - 1) + ")";
                    }
                }
                case 0x05, 0x00, 0x01, 0x0f, 0x1a, 0x1b, 0xd1 -> {
                    // else, unreachable, nop, return, drop, select, ref.is_null: no immediates
                }
                case 0x0c, 0x0d, 0x10, 0x12, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x3f, 0x40, 0xd2 ->
                        u32("an index");
                case 0x11, 0x13 -> {
                    u32("a type index");
                    u32("a table index");
                }
                case 0x0e -> {
                    long labels = u32("a br_table's label count");
                    for (long l = 0; l <= labels; l++) {
                        u32("a label");
                    }
                }
                case 0x1c -> {
                    long types = u32("a select's type count");
                    for (long t = 0; t < types; t++) {
                        u8("a value type");
                    }
                }
                case 0x41, 0x42 -> leb("a constant");
                case 0x43 -> skip(4, "an f32 constant");
                case 0x44 -> skip(8, "an f64 constant");
                case 0xd0 -> u8("a reference type");
                case 0xfc -> misc();
                default -> {
                    if (op >= 0x28 && op <= 0x3e) {
                        long align = u32("a memory access's alignment");
                        if ((align & 0x40) != 0) {
                            u32("a memory index");
                        }
                        leb("a memory access's offset");
                    } else if (op < 0x45 || op > 0xc4) {
                        throw new Unknown(); // SIMD, exceptions, threads, or not an opcode: no verdict
                    }
                }
            }
        }
        if (depth > 0) {
            return "function " + function + " is missing " + depth + " `end`" + (depth == 1 ? "" : "s")
                    + ": its body (bytes 0x" + Integer.toHexString(at - 1) + " and before) ends inside a block";
        }
        return null;
    }

    private void misc() {
        long op = u32("a 0xfc instruction");
        if (op <= 7) {
            return;
        }
        switch ((int) op) {
            case 8 -> {
                u32("a data index");
                u8("a memory index");
            }
            case 9, 13, 15, 16, 17 -> u32("an index");
            case 10 -> {
                u8("a memory index");
                u8("a memory index");
            }
            case 11 -> u8("a memory index");
            case 12, 14 -> {
                u32("an index");
                u32("an index");
            }
            default -> throw new Unknown();
        }
    }

    private void blockType() {
        int b = peek("a block type");
        if (b == 0x40 || (b >= 0x6f && b <= 0x7f)) {
            at++;
        } else {
            leb("a block type index");
        }
    }

    private void limits() {
        int flags = u8("limits");
        leb("a minimum");
        if ((flags & 1) != 0) {
            leb("a maximum");
        }
    }

    private void skipName() {
        long length = u32("a name's length");
        skip(length, "a name");
    }

    private void skip(long n, String what) {
        if (n > bytes.length - at) {
            throw new Truncated(what);
        }
        at += (int) n;
    }

    private int peek(String what) {
        if (at >= bytes.length) {
            throw new Truncated(what);
        }
        return bytes[at] & 0xff;
    }

    private int u8(String what) {
        int b = peek(what);
        at++;
        return b;
    }

    private long u32(String what) {
        return leb(what);
    }

    /** An unsigned or signed LEB128 number of up to 10 bytes; only unsigned values are used. */
    private long leb(String what) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = u8(what);
            if (shift < 64) {
                value |= (long) (b & 0x7f) << shift;
            }
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new Unknown();
    }

    /** The bytes end inside what is being read. */
    private static final class Truncated extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String where;

        Truncated(String where) {
            super(null, null, false, false);
            this.where = where;
        }
    }

    /** Something this walk does not know: no verdict. */
    private static final class Unknown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unknown() {
            super(null, null, false, false);
        }
    }
}

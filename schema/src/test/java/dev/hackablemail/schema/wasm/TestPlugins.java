package dev.hackablemail.schema.wasm;

import com.dylibso.chicory.wabt.Wat2Wasm;

/** Small plugins written in WAT, assembled for the tests. */
final class TestPlugins {

    static final String KERNEL_INPUT = "(import \"extism:host/env\" \"input_length\" (func (result i64)))";
    static final String WASI_WRITE =
            "(import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32 i32 i32 i32) (result i32)))";
    static final String DELIVER = "(import \"extism:host/user\" \"deliver\" (func (param i64) (result i64)))";
    static final String REPLY = "(import \"extism:host/user\" \"reply\" (func (param i64) (result i64)))";
    static final String ON_EMAIL = "(func (export \"onEmail\") (result i32) i32.const 0)";
    static final String MEMORY = "(memory (export \"memory\") 1)";

    private TestPlugins() {}

    /** A module made of the given fields, in order (imports must come first). */
    static byte[] module(String... fields) {
        return Wat2Wasm.parse("(module\n  " + String.join("\n  ", fields) + "\n)");
    }

    /** A plugin that fits on-email.yaml: kernel, WASI, both host functions, onEmail. */
    static byte[] good() {
        return module(KERNEL_INPUT, WASI_WRITE, DELIVER, REPLY, MEMORY, ON_EMAIL);
    }
}

package dev.hackablemail.runner.sim;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small xtp-test modules in WAT, one harness call per step, so each test reads as
 * the script the test module follows. Strings live in data segments and are copied into
 * the test module's Extism memory before each harness call, as xtp-test libraries do.
 * Other modules' tests use it through the runner's test jar.
 */
public final class WatTestModule {

    private final Map<String, Integer> strings = new LinkedHashMap<>();
    private final List<String> steps = new ArrayList<>();
    private final java.util.Set<String> extraImports = new java.util.LinkedHashSet<>();
    private int nextOffset = 1024;
    private int returnCode;

    private String str(String s) {
        int length = s.getBytes(StandardCharsets.UTF_8).length;
        int offset = strings.computeIfAbsent(s, k -> {
            int at = nextOffset;
            nextOffset += length + 1;
            return at;
        });
        return "(call $str (i32.const " + offset + ") (i32.const " + length + "))";
    }

    private String eq(String block, String expected) {
        int length = expected.getBytes(StandardCharsets.UTF_8).length;
        str(expected);
        return "(call $eq " + block + " (i32.const " + strings.get(expected) + ") (i32.const " + length + "))";
    }

    public WatTestModule group(String name) {
        steps.add("(call $group " + str(name) + ")");
        return this;
    }

    public WatTestModule reset() {
        steps.add("(call $reset)");
        return this;
    }

    public WatTestModule call(String function, String input) {
        steps.add("(drop (call $call " + str(function) + " " + str(input) + "))");
        return this;
    }

    public WatTestModule assertCallEquals(String name, String function, String input, String expected) {
        steps.add("(call $assert " + str(name) + " " + eq("(call $call " + str(function) + " " + str(input) + ")", expected)
                + " " + str("expected " + expected) + ")");
        return this;
    }

    public WatTestModule assertTimeUnder(String name, String function, String input, long nanos) {
        steps.add("(call $assert " + str(name) + " (i64.extend_i32_u (i64.lt_u (call $time " + str(function) + " "
                + str(input) + ") (i64.const " + nanos + "))) " + str("took too long") + ")");
        return this;
    }

    public WatTestModule assertMockInputEquals(String name, String expected) {
        steps.add("(call $assert " + str(name) + " " + eq("(call $mock_input)", expected) + " " + str("mock input differs")
                + ")");
        return this;
    }

    public WatTestModule assertMockInputAbsent(String name) {
        steps.add("(call $assert " + str(name) + " (i64.extend_i32_u (i64.eqz (call $mock_input))) "
                + str("mock input present") + ")");
        return this;
    }

    public WatTestModule assertValue(String name, boolean value, String reason) {
        steps.add("(call $assert " + str(name) + " (i64.const " + (value ? 1 : 0) + ") " + str(reason) + ")");
        return this;
    }

    /**
     * Asserts that this test module instance is fresh (the marker this step leaves in its
     * memory is not there yet), then leaves the marker.
     */
    public WatTestModule assertFreshInstance(String name) {
        steps.add("(call $assert " + str(name) + " (i64.extend_i32_u (i32.eqz (i32.load (i32.const 65532)))) "
                + str("the memory of an earlier run is still there") + ")");
        steps.add("(i32.store (i32.const 65532) (i32.const 1))");
        return this;
    }

    /** Sets the test module's own error with {@code error_set}, as a JS test that throws does. */
    public WatTestModule errorSet(String message) {
        extraImports.add("(import \"extism:host/env\" \"error_set\" (func $error_set (param i64)))");
        steps.add("(call $error_set " + str(message) + ")");
        return this;
    }

    /** Writes {@code text} to WASI stdout (file descriptor 1) with {@code fd_write}. */
    public WatTestModule printToStdout(String text) {
        extraImports.add("(import \"wasi_snapshot_preview1\" \"fd_write\""
                + " (func $fd_write (param i32 i32 i32 i32) (result i32)))");
        str(text);
        steps.add("(i32.store (i32.const 16) (i32.const " + strings.get(text) + "))");
        steps.add("(i32.store (i32.const 20) (i32.const " + text.getBytes(StandardCharsets.UTF_8).length + "))");
        steps.add("(drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))");
        return this;
    }

    /** An arbitrary step in WAT, for misuse such as offsets that name no block. */
    public WatTestModule raw(String wat) {
        steps.add(wat);
        return this;
    }

    public WatTestModule returning(int code) {
        this.returnCode = code;
        return this;
    }

    public String wat() {
        StringBuilder w = new StringBuilder("(module\n");
        w.append("""
                  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
                  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
                  (import "extism:host/env" "load_u8" (func $load_u8 (param i64) (result i32)))
                  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
                  (import "xtp:test/harness" "call" (func $call (param i64 i64) (result i64)))
                  (import "xtp:test/harness" "time" (func $time (param i64 i64) (result i64)))
                  (import "xtp:test/harness" "assert" (func $assert (param i64 i64 i64)))
                  (import "xtp:test/harness" "group" (func $group (param i64)))
                  (import "xtp:test/harness" "reset" (func $reset))
                  (import "xtp:test/harness" "mock_input" (func $mock_input (result i64)))
                """);
        extraImports.forEach(i -> w.append("  ").append(i).append('\n'));
        w.append("  (memory 1)\n");
        strings.forEach((s, offset) -> w.append("  (data (i32.const ").append(offset).append(") \"")
                .append(escape(s)).append("\")\n"));
        w.append("""
                  (func $str (param $p i32) (param $n i32) (result i64) (local $b i64) (local $i i32)
                    (local.set $b (call $alloc (i64.extend_i32_u (local.get $n))))
                    (block $done (loop $next
                      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                      (call $store_u8 (i64.add (local.get $b) (i64.extend_i32_u (local.get $i)))
                                      (i32.load8_u (i32.add (local.get $p) (local.get $i))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br $next)))
                    (local.get $b))
                  (func $eq (param $b i64) (param $p i32) (param $n i32) (result i64) (local $i i32)
                    (if (i64.ne (call $length (local.get $b)) (i64.extend_i32_u (local.get $n)))
                      (then (return (i64.const 0))))
                    (block $done (loop $next
                      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                      (if (i32.ne (call $load_u8 (i64.add (local.get $b) (i64.extend_i32_u (local.get $i))))
                                  (i32.load8_u (i32.add (local.get $p) (local.get $i))))
                        (then (return (i64.const 0))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br $next)))
                    (i64.const 1))
                """);
        w.append("  (func (export \"test\") (result i32)\n");
        steps.forEach(s -> w.append("    ").append(s).append('\n'));
        w.append("    (i32.const ").append(returnCode).append("))\n)\n");
        return w.toString();
    }

    /** Compiles the module into {@code dir} and returns its path. */
    public Path writeTo(Path dir, String fileName) throws IOException {
        Path file = dir.resolve(fileName);
        Files.write(file, Wat2Wasm.parse(wat()));
        return file;
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format("\\%02x", c));
            }
        }
        return out.toString();
    }
}

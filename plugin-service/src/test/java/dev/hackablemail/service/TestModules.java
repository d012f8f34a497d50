package dev.hackablemail.service;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's committed modules, and small WAT plugins and test modules made for the tests. */
final class TestModules {

    static final Path HOME = Path.of(System.getProperty("hackable.home", "..")).toAbsolutePath().normalize();
    static final Path EXAMPLE = HOME.resolve("example-plugin/dist/plugin.wasm");

    private TestModules() {}

    static byte[] example() {
        return read(EXAMPLE);
    }

    /** One of example-plugin/dist/broken/: no-deliver, always-reply, hide-failure. */
    /** The example plugin reading {@code headers["Subject"]} spelled exactly so, as the upstream demo does. */
    static byte[] exactSubject() {
        return read(HOME.resolve("example-plugin/dist/exact-subject.wasm"));
    }

    static byte[] broken(String name) {
        return read(HOME.resolve("example-plugin/dist/broken/" + name + ".wasm"));
    }

    /** One of test-plugins/dist/ (built from test-plugins/src), e.g. {@code accepted/vacation}. */
    static byte[] testPlugin(String name) {
        return read(testPluginFile(name));
    }

    static Path testPluginFile(String name) {
        return HOME.resolve("test-plugins/dist/" + name + ".wasm");
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A plugin that hands its input to {@code deliver} and returns what deliver returned: it
     * never replies (unlike the example plugin, which answers mail about Project XYZ).
     */
    static byte[] deliverOnly() {
        return Wat2Wasm.parse(String.join("\n",
                "(module",
                "  (import \"extism:host/env\" \"input_length\" (func $input_length (result i64)))",
                "  (import \"extism:host/env\" \"input_load_u8\" (func $input_load_u8 (param i64) (result i32)))",
                "  (import \"extism:host/env\" \"alloc\" (func $alloc (param i64) (result i64)))",
                "  (import \"extism:host/env\" \"store_u8\" (func $store_u8 (param i64 i32)))",
                "  (import \"extism:host/env\" \"length\" (func $length (param i64) (result i64)))",
                "  (import \"extism:host/env\" \"output_set\" (func $output_set (param i64 i64)))",
                "  (import \"extism:host/user\" \"deliver\" (func $deliver (param i64) (result i64)))",
                "  (memory (export \"memory\") 1)",
                "  (func (export \"onEmail\") (result i32)",
                "    (local $size i64) (local $copy i64) (local $at i64) (local $result i64)",
                "    (local.set $size (call $input_length))",
                "    (local.set $copy (call $alloc (local.get $size)))",
                "    (block $copied",
                "      (loop $each",
                "        (br_if $copied (i64.eq (local.get $at) (local.get $size)))",
                "        (call $store_u8 (i64.add (local.get $copy) (local.get $at))",
                "                        (call $input_load_u8 (local.get $at)))",
                "        (local.set $at (i64.add (local.get $at) (i64.const 1)))",
                "        (br $each)))",
                "    (local.set $result (call $deliver (local.get $copy)))",
                "    (call $output_set (local.get $result) (call $length (local.get $result)))",
                "    (i32.const 0))",
                ")"));
    }

    /** A valid Wasm module that is no onEmail plugin: its only export is called something else. */
    static byte[] withoutOnEmail() {
        return Wat2Wasm.parse("(module (func (export \"onMail\") (result i32) (i32.const 0)))");
    }

    /** A test module with no asserts whose {@code test} returns {@code code} (0 passes, else fails). */
    static byte[] testModuleReturning(int code) {
        return Wat2Wasm.parse("(module (func (export \"test\") (result i32) (i32.const " + code + ")))");
    }

    /** {@code wasm} with a custom section appended: another module, the same behaviour. */
    static byte[] variant(byte[] wasm, int n) {
        return BenchCommand.distinct(wasm, n);
    }
}

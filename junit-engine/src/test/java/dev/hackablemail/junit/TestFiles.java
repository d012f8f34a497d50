package dev.hackablemail.junit;

import dev.hackablemail.runner.sim.WatTestModule;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The committed Wasm modules of the repository, and small files the tests write. */
final class TestFiles {

    /** The repository's folder (tests run in the module's folder). */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    static final Path PLUGIN = REPO.resolve("example-plugin/dist/plugin.wasm");
    static final Path NO_DELIVER = REPO.resolve("example-plugin/dist/broken/no-deliver.wasm");
    static final Path ALWAYS_REPLY = REPO.resolve("example-plugin/dist/broken/always-reply.wasm");
    static final Path EMAIL_TEST = REPO.resolve("simulations/dist/test.wasm");
    static final Path MOCK_HOST = REPO.resolve("mock-host/dist/host.wasm");

    /** The email simulation with paths relative to the module's folder, as anchors name it. */
    static final String EMAIL_YAML = "src/test/simulations/email.simulation.yaml";

    /** Groups and asserts of the email simulation without mock input (see simulations/guest/README.md). */
    static final int EMAIL_GROUPS = 21;
    static final int EMAIL_ASSERTS = 66;

    /**
     * A plugin with three exports: {@code echo} returns its input, {@code spin} never
     * returns, {@code grow} grows its memory by 16 pages (1 MiB) and traps if it cannot.
     */
    private static final String PLUGIN_WAT = """
            (module
              (import "extism:host/env" "input_length" (func $input_length (result i64)))
              (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
              (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
              (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
              (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
              (memory (export "memory") 1)
              (func (export "echo") (result i32) (local $length i64) (local $out i64) (local $at i64)
                (local.set $length (call $input_length))
                (local.set $out (call $alloc (local.get $length)))
                (block $copied (loop $copy
                  (br_if $copied (i64.eq (local.get $at) (local.get $length)))
                  (call $store_u8 (i64.add (local.get $out) (local.get $at)) (call $input_load_u8 (local.get $at)))
                  (local.set $at (i64.add (local.get $at) (i64.const 1)))
                  (br $copy)))
                (call $output_set (local.get $out) (local.get $length))
                (i32.const 0))
              (func (export "spin") (result i32) (loop $again (br $again)) (i32.const 0))
              (func (export "grow") (result i32)
                (if (i32.eq (memory.grow (i32.const 16)) (i32.const -1)) (then unreachable))
                (i32.const 0))
            )
            """;

    private TestFiles() {}

    /** Writes the echo/spin/grow plugin into {@code dir}. */
    static Path plugin(Path dir) throws IOException {
        Path file = dir.resolve("plugin.wasm");
        Files.write(file, Wat2Wasm.parse(PLUGIN_WAT));
        return file;
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Writes the plugin, {@code test} as {@code test.wasm} and a {@code <name>.simulation.yaml}
     * naming both (plus {@code extra} YAML lines) into {@code dir}.
     */
    static Path simulation(Path dir, String name, WatTestModule test, String extra) throws IOException {
        Files.createDirectories(dir);
        plugin(dir);
        test.writeTo(dir, "test.wasm");
        return write(dir, name + ".simulation.yaml", "plugin: plugin.wasm\nwith: test.wasm\n" + extra);
    }

    /** The engine under test, with no configuration from system properties or files. */
    static EngineTestKit.Builder simulationEngine() {
        return EngineTestKit.engine(Constants.ENGINE_ID);
    }
}

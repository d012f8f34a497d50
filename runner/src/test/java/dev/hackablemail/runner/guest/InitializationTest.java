package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Instances are initialized as the Extism SDKs do ({@code _initialize}, else
 * {@code __wasm_call_ctors}, never a command module's {@code _start}), under a time limit,
 * with failures naming the module and the function.
 */
public class InitializationTest {

    /** The module of issue 16: a Wasm start function that never returns. */
    public static final String LOOPING_START =
            "(module (func $s (loop $l (br $l))) (start $s) (func (export \"onEmail\") (result i32) (i32.const 0)))";

    private static GuestModule module(String name, String wat) {
        return GuestModule.of(name, Wat2Wasm.parse(wat));
    }

    private static PluginTemplate.Builder template(GuestModule main, Execution execution) {
        return PluginTemplate.builder(main).withExecution(execution)
                .withLimits(GuestLimits.DEFAULTS.withTimeout(Duration.ofMillis(300)));
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void aStartFunctionThatLoopsIsStoppedAtTheTimeLimit(Execution execution) {
        GuestModule looping = module("looping-start.wasm", LOOPING_START);
        long start = System.nanoTime();
        assertThatThrownBy(() -> template(looping, execution).build().instantiate())
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.TIMEOUT))
                .hasMessage("looping-start.wasm: did not finish initializing within 300 ms (time limit):"
                        + " its start function was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aMockHostWhoseStartFunctionLoopsIsStoppedToo() {
        GuestModule host = module("looping-host.wasm", "(module (func $s (loop $l (br $l))) (start $s)"
                + " (func (export \"deliver\") (param i64) (result i64) (local.get 0)))");
        GuestModule plugin = module("plugin.wasm", "(module (import \"extism:host/user\" \"deliver\""
                + " (func (param i64) (result i64))) (func (export \"onEmail\") (result i32) (i32.const 0)))");
        assertThatThrownBy(() -> template(plugin, Execution.COMPILER).withMockHost(host).build().instantiate())
                .isInstanceOf(GuestCallException.class)
                .hasMessageStartingWith("looping-host.wasm: did not finish initializing within 300 ms");
    }

    @Test
    void theInitializationLimitCanDifferFromTheCallLimit() {
        GuestModule looping = module("looping-init.wasm", "(module (func (export \"_initialize\") (loop $l (br $l))))");
        assertThatThrownBy(() -> PluginTemplate.builder(looping).withInitTimeout(Duration.ofMillis(100)).build()
                        .instantiate())
                .hasMessage("looping-init.wasm: did not finish initializing within 100 ms (time limit):"
                        + " _initialize was stopped");
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void aCommandModulesStartIsNeverRun(Execution execution) {
        // A TinyGo command module: _start runs main and package initializers that read os.Args.
        GuestModule command = module("command.wasm", """
                (module
                  (func (export "_start") unreachable)
                  (func (export "onEmail") (result i32) (i32.const 0)))""");
        try (GuestPlugin plugin = template(command, execution).build().instantiate()) {
            assertThat(plugin.call("onEmail", new byte[0])).isEmpty();
        }
    }

    @Test
    void wasmCallCtorsRunsWhenThereIsNoInitialize() {
        GuestModule ctors = module("ctors.wasm", """
                (module
                  (global $ready (mut i32) (i32.const 0))
                  (func (export "__wasm_call_ctors") (global.set $ready (i32.const 1)))
                  (func (export "_start") unreachable)
                  (func (export "ready") (result i32) (if (i32.eqz (global.get $ready)) (then unreachable)) (i32.const 0)))""");
        try (GuestPlugin plugin = template(ctors, Execution.COMPILER).build().instantiate()) {
            assertThat(plugin.call("ready", new byte[0])).isEmpty();
        }
    }

    @Test
    void initializeIsPreferredToWasmCallCtors() {
        GuestModule both = module("both.wasm", """
                (module
                  (func (export "_initialize"))
                  (func (export "__wasm_call_ctors") unreachable)
                  (func (export "onEmail") (result i32) (i32.const 0)))""");
        try (GuestPlugin plugin = template(both, Execution.COMPILER).build().instantiate()) {
            assertThat(plugin.call("onEmail", new byte[0])).isEmpty();
        }
    }

    @Test
    void aTrapDuringInitializationNamesTheFunctionThatTrapped() {
        GuestModule initialize = module("trapping-init.wasm", "(module (func (export \"_initialize\") unreachable))");
        assertThatThrownBy(() -> PluginTemplate.builder(initialize).build().instantiate())
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.TRAP))
                .hasMessageStartingWith("trapping-init.wasm: _initialize trapped: ");
        GuestModule ctors = module("trapping-ctors.wasm", "(module (func (export \"__wasm_call_ctors\") unreachable))");
        assertThatThrownBy(() -> PluginTemplate.builder(ctors).build().instantiate())
                .hasMessageStartingWith("trapping-ctors.wasm: __wasm_call_ctors trapped: ");
        GuestModule start = module("trapping-start.wasm", "(module (func $s unreachable) (start $s))");
        assertThatThrownBy(() -> PluginTemplate.builder(start).build().instantiate())
                .isInstanceOf(GuestCallException.class)
                .hasMessageStartingWith("trapping-start.wasm: its start function trapped: ");
    }

    @Test
    void dataThatDoesNotFitIsALoadErrorNotAGuestFailure() {
        GuestModule outOfBounds = module("data.wasm", "(module (memory 1) (data (i32.const 65535) \"xy\"))");
        assertThatThrownBy(() -> PluginTemplate.builder(outOfBounds).build().instantiate())
                .isInstanceOf(GuestLoadException.class)
                .hasMessageStartingWith("data.wasm: cannot be instantiated: ");
    }

    @Test
    void mockHostLogLinesCarryTheMockHostsName() {
        GuestModule host = module("host.wasm", """
                (module
                  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
                  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
                  (import "extism:host/env" "log_error" (func $log_error (param i64)))
                  (func (export "deliver") (param i64) (result i64) (local $m i64)
                    (local.set $m (call $alloc (i64.const 1)))
                    (call $store_u8 (local.get $m) (i32.const 72))
                    (call $log_error (local.get $m))
                    (local.get 0)))""");
        GuestModule plugin = module("plugin.wasm", """
                (module
                  (import "extism:host/user" "deliver" (func $deliver (param i64) (result i64)))
                  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
                  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
                  (import "extism:host/env" "log_error" (func $log_error (param i64)))
                  (func (export "onEmail") (result i32) (local $m i64)
                    (local.set $m (call $alloc (i64.const 1)))
                    (call $store_u8 (local.get $m) (i32.const 80))
                    (call $log_error (local.get $m))
                    (drop (call $deliver (local.get $m)))
                    (call $log_error (local.get $m))
                    (i32.const 0)))""");
        List<String> lines = new ArrayList<>();
        PluginTemplate template = PluginTemplate.builder(plugin).withMockHost(host)
                .withLog((module, level, message) -> lines.add("[" + module + "] " + level + " " + message),
                        GuestLog.Level.INFO)
                .build();
        try (GuestPlugin instance = template.instantiate()) {
            instance.call("onEmail", new byte[0]);
        }
        assertThat(lines).containsExactly("[plugin.wasm] ERROR P", "[host.wasm] ERROR H", "[plugin.wasm] ERROR P");
    }
}

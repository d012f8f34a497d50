package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GuestPluginTest {

    private static PluginTemplate template(Execution execution, GuestLimits limits) {
        return PluginTemplate.builder(Wat.module("limits.wat")).withExecution(execution).withLimits(limits).build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void callsAnExportWithInputAndReturnsItsOutput(Execution execution) {
        GuestPlugin plugin = template(execution, GuestLimits.DEFAULTS).instantiate();
        assertThat(plugin.call("echo", utf8("hello"))).asString().isEqualTo("hello");
        assertThat(plugin.call("echo", new byte[0])).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void varsLiveAsLongAsTheInstance(Execution execution) {
        PluginTemplate template = template(execution, GuestLimits.DEFAULTS);
        GuestPlugin plugin = template.instantiate();
        assertThat(plugin.call("count", new byte[0])).asString().isEqualTo("1");
        assertThat(plugin.call("count", new byte[0])).asString().isEqualTo("2");
        assertThat(template.instantiate().call("count", new byte[0])).asString().isEqualTo("1");
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void anErrorCodeCarriesTheGuestsMessage(Execution execution) {
        GuestPlugin plugin = template(execution, GuestLimits.DEFAULTS).instantiate();
        assertThatThrownBy(() -> plugin.call("fail", utf8("bad input")))
                .isInstanceOfSatisfying(GuestCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(GuestCallException.Kind.ERROR);
                    assertThat(e.returnCode()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("fail returned error code 3: bad input");
                });
        assertThat(plugin.usable()).isTrue();
        assertThat(plugin.call("echo", utf8("still fine"))).asString().isEqualTo("still fine");
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void aBusyLoopIsStoppedAtTheTimeLimit(Execution execution) {
        GuestPlugin plugin = template(execution, GuestLimits.DEFAULTS.withTimeout(Duration.ofMillis(200))).instantiate();
        long start = System.nanoTime();
        assertThatThrownBy(() -> plugin.call("spin", new byte[0]))
                .isInstanceOfSatisfying(GuestCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(GuestCallException.Kind.TIMEOUT);
                    assertThat(e.getMessage()).contains("spin did not finish within 200 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(plugin.usable()).isFalse();
        assertThatThrownBy(() -> plugin.call("echo", new byte[0])).hasMessageContaining("cannot be called any more: an earlier call failed (timeout)");
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void aTrapFailsTheCall(Execution execution) {
        GuestPlugin plugin = template(execution, GuestLimits.DEFAULTS).instantiate();
        assertThatThrownBy(() -> plugin.call("trap", new byte[0]))
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.TRAP))
                .hasMessageContaining("trap trapped");
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void askingTheKernelForGigabytesHitsTheAllocationLimit(Execution execution) {
        GuestPlugin plugin = template(execution, GuestLimits.DEFAULTS).instantiate();
        assertThatThrownBy(() -> plugin.call("greedy", new byte[0]))
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.LIMIT))
                .hasMessageContaining("asked the Extism kernel for 4000000000 bytes, over the limit of 67108864");
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void growingMemoryStopsAtThePageLimit(Execution execution) {
        GuestPlugin plugin = template(execution, GuestLimits.DEFAULTS.withMaxMemoryPages(64)).instantiate();
        assertThatThrownBy(() -> plugin.call("grow", new byte[0]))
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.LIMIT))
                .hasMessageContaining("with its memory at 64 pages, near the limit of 64 pages");
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void anOversizedOutputIsRefused(Execution execution) {
        GuestPlugin plugin = template(execution, GuestLimits.DEFAULTS.withMaxOutputBytes(1000)).instantiate();
        assertThatThrownBy(() -> plugin.call("big_output", new byte[0]))
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.LIMIT))
                .hasMessageContaining("2000000 bytes of output, more than the limit of 1000");
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void missingAndMisshapenExportsAreNamed(Execution execution) {
        GuestPlugin plugin = template(execution, GuestLimits.DEFAULTS).instantiate();
        assertThatThrownBy(() -> plugin.call("nope", new byte[0]))
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.MISSING_EXPORT))
                .hasMessageContaining("has no export named 'nope'")
                .hasMessageContaining("echo");
        assertThatThrownBy(() -> plugin.call("not_extism", new byte[0]))
                .hasMessageContaining("not the Extism export type");
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void offsetsThatNameNoBlockAreRefused(Execution execution) {
        GuestPlugin plugin = template(execution, GuestLimits.DEFAULTS).instantiate();
        long offset = plugin.writeBlock(utf8("abc"));
        assertThat(plugin.readString(offset, "test")).isEqualTo("abc");
        assertThat(plugin.readBlock(0, "test")).isEmpty();
        assertThatThrownBy(() -> plugin.readBlock(offset + 1, "assert name"))
                .hasMessageContaining("assert name: offset " + (offset + 1) + " names no block");
        assertThatThrownBy(() -> plugin.readBlock(1L << 40, "x")).hasMessageContaining("names no block");
        assertThatThrownBy(() -> plugin.readBlock(-5, "x")).hasMessageContaining("names no block");
    }

    @org.junit.jupiter.api.Test
    void memoryTooLargeAtStartIsALoadError() {
        GuestModule big = GuestModule.of("big-memory.wasm", com.dylibso.chicory.wabt.Wat2Wasm.parse("(module (memory 2000))"));
        assertThatThrownBy(() -> PluginTemplate.builder(big).build().instantiate())
                .isInstanceOf(GuestLoadException.class)
                .hasMessageContaining("big-memory.wasm needs 2000 pages of memory at start, more than the limit of 1024");
    }

    @org.junit.jupiter.api.Test
    void copiesOfAVarCountAgainstTheKernelBudget() {
        // var_set one 1 MiB value, then ask for copies of it in a loop: each copy is a new
        // kernel block the host allocates for the guest.
        GuestModule vars = GuestModule.of("var-copies.wasm", com.dylibso.chicory.wabt.Wat2Wasm.parse("""
                (module
                  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
                  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
                  (import "extism:host/env" "var_set" (func $var_set (param i64 i64)))
                  (import "extism:host/env" "var_get" (func $var_get (param i64) (result i64)))
                  (func (export "copies") (result i32) (local $key i64) (local $i i32)
                    (local.set $key (call $alloc (i64.const 1)))
                    (call $store_u8 (local.get $key) (i32.const 107))
                    (call $var_set (local.get $key) (call $alloc (i64.const 1048576)))
                    (loop $again
                      (drop (call $var_get (local.get $key)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $again (i32.lt_u (local.get $i) (i32.const 1000))))
                    (i32.const 0)))"""));
        GuestPlugin plugin = PluginTemplate.builder(vars)
                .withLimits(GuestLimits.DEFAULTS.withMaxKernelBytes(8L << 20)).build().instantiate();
        assertThatThrownBy(() -> plugin.call("copies", new byte[0]))
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.LIMIT))
                .hasMessageContaining("var_get handed the guest 1048576 more bytes, over the limit of 8388608");
    }

    @org.junit.jupiter.api.Test
    void theHostRunningOutOfMemoryKeepsTheErrorAsTheCause() {
        // a host that tells "the guest hit a limit" from "the JVM's heap ran out" needs the error
        GuestModule callsHost = GuestModule.of("calls-host.wasm", com.dylibso.chicory.wabt.Wat2Wasm.parse("""
                (module
                  (import "extism:host/user" "heavy" (func $heavy (param i64) (result i64)))
                  (func (export "run") (result i32)
                    (drop (call $heavy (i64.const 0)))
                    (i32.const 0)))"""));
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        GuestPlugin plugin = PluginTemplate.builder(callsHost)
                .withHostImport(HostImport.block("heavy", (caller, input) -> {
                    throw heap;
                })).build().instantiate();
        assertThatThrownBy(() -> plugin.call("run", new byte[0]))
                .isInstanceOfSatisfying(GuestCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.LIMIT))
                .hasMessageContaining("ran the host out of memory")
                .hasRootCause(heap);
    }
}

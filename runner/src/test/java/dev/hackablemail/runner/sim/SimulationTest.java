package dev.hackablemail.runner.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.hackablemail.runner.guest.Execution;
import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.runner.guest.ModuleFiles;
import dev.hackablemail.runner.guest.Wat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The harness ABI, function by function, through small WAT test modules. */
class SimulationTest {

    @TempDir
    Path dir;

    Path plugin;

    @BeforeEach
    void writePlugin() throws IOException {
        plugin = dir.resolve("plugin.wasm");
        Files.write(plugin, Wat.bytes("limits.wat"));
    }

    private SimulationRecord run(WatTestModule test) throws IOException {
        return run(SimulationSpec.builder(plugin, test.writeTo(dir, "test.wasm")).build());
    }

    private static SimulationRecord run(SimulationSpec spec) {
        SimulationRecord record = new SimulationRecord();
        Simulation.run(spec, record);
        return record;
    }

    @ParameterizedTest
    @EnumSource(Execution.class)
    void callAssertAndGroupReportInRunOrder(Execution execution) throws IOException {
        Path test = new WatTestModule()
                .assertValue("before any group", true, "")
                .group("echo")
                .assertCallEquals("echo returns its input", "echo", "hello", "hello")
                .assertCallEquals("a wrong expectation fails", "echo", "hello", "bye")
                .group("second")
                .assertValue("plain pass", true, "unused")
                .writeTo(dir, "test.wasm");
        SimulationRecord record = run(SimulationSpec.builder(plugin, test).withExecution(execution).build());

        assertThat(record.groups()).extracting(SimulationRecord.Group::name).containsExactly(null, "echo", "second");
        assertThat(record.groups().get(1).asserts())
                .extracting(AssertionResult::group, AssertionResult::name, AssertionResult::passed, AssertionResult::reason)
                .containsExactly(
                        tuple("echo", "echo returns its input", true, "expected hello"),
                        tuple("echo", "a wrong expectation fails", false, "expected bye"));
        assertThat(record.result().passed()).isEqualTo(3);
        assertThat(record.result().failed()).isEqualTo(1);
        assertThat(record.result().testReturnCode()).isZero();
        assertThat(record.result().successful()).isFalse();
    }

    @Test
    void resetGivesAFreshInstanceWithEmptyVars() throws IOException {
        SimulationRecord record = run(new WatTestModule()
                .group("count")
                .assertCallEquals("first call counts 1", "count", "", "1")
                .assertCallEquals("second call counts 2", "count", "", "2")
                .reset()
                .assertCallEquals("after reset the count starts again", "count", "", "1"));
        assertThat(record.result().successful()).isTrue();
        assertThat(record.result().passed()).isEqualTo(3);
    }

    @Test
    void timeReportsNanosecondsOfOneCall() throws IOException {
        SimulationRecord record = run(new WatTestModule()
                .group("speed")
                .call("echo", "warm up")
                .assertTimeUnder("echo is fast", "echo", "hello", 300_000_000L));
        assertThat(record.result().successful()).isTrue();
        assertThat(record.groups().get(0).timings()).singleElement().satisfies(t -> {
            assertThat(t.function()).isEqualTo("echo");
            assertThat(t.nanos()).isPositive().isLessThan(300_000_000L);
        });
    }

    @Test
    void aSmallCallTakesUnderThreeHundredMicrosecondsAsTheGoExampleAsserts() throws IOException {
        // Shaped like the public Go count-vowels test: a group of calls, then one call
        // timed after the group helper's reset must take under 300,000 ns.
        WatTestModule test = new WatTestModule().group("basic calls");
        for (int i = 0; i < 20; i++) {
            test.assertCallEquals("echo " + i, "echo", "Hello, World!", "Hello, World!");
        }
        SimulationRecord record = run(test.reset().group("speed").reset()
                .assertTimeUnder("it should be really fast", "echo", "Hello, World!", 300_000L));
        assertThat(record.result().failed()).isZero();
    }

    @Test
    void mockInputHandsOutTheGivenBytesOrZero() throws IOException {
        Path test = new WatTestModule().assertMockInputEquals("mock input is there", "{\"a\":1}").writeTo(dir, "t1.wasm");
        SimulationRecord with = run(SimulationSpec.builder(plugin, test)
                .withMockInput("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(with.result().successful()).isTrue();

        Path absent = new WatTestModule().assertMockInputAbsent("no mock input").writeTo(dir, "t2.wasm");
        assertThat(run(SimulationSpec.builder(plugin, absent).build()).result().successful()).isTrue();
    }

    @Test
    void aNonZeroReturnFromTestFailsTheRun() throws IOException {
        SimulationRecord record = run(new WatTestModule().assertValue("fine", true, "").returning(3));
        assertThat(record.result().testReturnCode()).isEqualTo(3);
        assertThat(record.result().failed()).isZero();
        assertThat(record.result().successful()).isFalse();
    }

    @Test
    void pluginFailuresInsideCallAreRecordedAndTheRunGoesOn() throws IOException {
        Path test = new WatTestModule()
                .group("misbehaving plugin")
                .call("spin", "")
                .call("trap", "")
                .call("greedy", "")
                .call("grow", "")
                .call("fail", "oops")
                .call("no_such_export", "")
                .assertCallEquals("a fresh instance still answers", "echo", "hi", "hi")
                .writeTo(dir, "test.wasm");
        SimulationRecord record = run(SimulationSpec.builder(plugin, test)
                .withLimits(GuestLimits.DEFAULTS.withTimeout(Duration.ofMillis(300)).withMaxMemoryPages(32))
                .build());

        assertThat(record.groups().get(0).asserts())
                .extracting(AssertionResult::name, AssertionResult::passed)
                .containsExactly(
                        tuple("call spin", false),
                        tuple("call trap", false),
                        tuple("call greedy", false),
                        tuple("call grow", false),
                        tuple("call fail", false),
                        tuple("call no_such_export", false),
                        tuple("a fresh instance still answers", true));
        assertThat(record.groups().get(0).asserts()).extracting(AssertionResult::reason).satisfiesExactly(
                r -> assertThat(r).contains("did not finish within 300 ms"),
                r -> assertThat(r).contains("trapped"),
                r -> assertThat(r).contains("asked the Extism kernel for 4000000000 bytes"),
                r -> assertThat(r).contains("near the limit of 32 pages"),
                r -> assertThat(r).contains("returned error code 3: oops"),
                r -> assertThat(r).contains("has no export named 'no_such_export'"),
                r -> assertThat(r).isEqualTo("expected hi"));
        assertThat(record.result().testReturnCode()).isZero();
        assertThat(record.result().successful()).isFalse();
    }

    @Test
    void anOffsetThatNamesNoBlockEndsTheRunWithAClearError() throws IOException {
        SimulationRecord record = run(new WatTestModule()
                .group("bad")
                .raw("(call $assert (i64.const 99999) (i64.const 1) (i64.const 0))"));
        assertThat(record.result().error()).contains("assert: name: offset 99999 names no block");
        assertThat(record.result().testReturnCode()).isNull();
        assertThat(record.result().successful()).isFalse();
    }

    @Test
    void aTestModuleThatLoopsForeverIsStoppedAtTheRunTimeout() throws IOException {
        Path test = new WatTestModule().raw("(loop $forever (br $forever))").writeTo(dir, "test.wasm");
        SimulationRecord record = run(SimulationSpec.builder(plugin, test).withRunTimeout(Duration.ofMillis(300)).build());
        assertThat(record.result().error()).contains("test did not finish within 300 ms");
    }

    @Test
    void aTestModuleGetsWasiAndTheWholeExtismKernelAsJsTestModulesNeed() throws IOException {
        String[] env = {
            "http_request (param i64 i64) (result i64)", "http_status_code (result i32)", "http_headers (result i64)",
            "length_unsafe (param i64) (result i64)", "get_log_level (result i32)", "log_trace (param i64)",
            "log_debug (param i64)", "log_info (param i64)", "log_warn (param i64)", "log_error (param i64)",
            "config_get (param i64) (result i64)", "var_get (param i64) (result i64)", "var_set (param i64 i64)",
            "memory_bytes (result i64)", "input_offset (result i64)", "output_offset (result i64)",
        };
        StringBuilder imports = new StringBuilder();
        for (String e : env) {
            int space = e.indexOf(' ');
            imports.append("(import \"extism:host/env\" \"").append(e, 0, space).append("\" (func ")
                    .append(e.substring(space + 1)).append("))\n");
        }
        imports.append("(import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32 i32 i32 i32) (result i32)))\n");
        imports.append("(import \"wasi_snapshot_preview1\" \"random_get\" (func (param i32 i32) (result i32)))\n");
        Path test = dir.resolve("js-like.wasm");
        Files.write(test, com.dylibso.chicory.wabt.Wat2Wasm.parse("(module " + imports
                + "(import \"xtp:test/harness\" \"mock_input\" (func $mock (result i64)))"
                + "(func (export \"test\") (result i32) (i32.wrap_i64 (call $mock))))"));
        SimulationRecord record = run(SimulationSpec.builder(plugin, test).build());
        assertThat(record.result().testReturnCode()).isZero();
    }

    @Test
    void aTestModuleWithoutTestExportCannotRun() throws IOException {
        Path test = dir.resolve("no-test.wasm");
        Files.write(test, com.dylibso.chicory.wabt.Wat2Wasm.parse("(module (func (export \"other\") (result i32) i32.const 0))"));
        assertThatThrownBy(() -> Simulation.prepare(SimulationSpec.builder(plugin, test).build()))
                .isInstanceOf(SimulationSetupException.class)
                .hasMessageContaining("no-test.wasm: no export named 'test'");
    }

    @Test
    void unknownHarnessFunctionsAndUnknownShapesAreNamed() throws IOException {
        Path unknown = dir.resolve("unknown.wasm");
        Files.write(unknown, com.dylibso.chicory.wabt.Wat2Wasm.parse("""
                (module (import "xtp:test/harness" "frobnicate" (func (param i64)))
                  (func (export "test") (result i32) i32.const 0))"""));
        assertThatThrownBy(() -> Simulation.prepare(SimulationSpec.builder(plugin, unknown).build()))
                .hasMessageContaining("imports xtp:test/harness.frobnicate, which the harness does not have");

        Path odd = dir.resolve("odd.wasm");
        Files.write(odd, com.dylibso.chicory.wabt.Wat2Wasm.parse("""
                (module (import "xtp:test/harness" "assert" (func (param i64)))
                  (func (export "test") (result i32) i32.const 0))"""));
        assertThatThrownBy(() -> Simulation.prepare(SimulationSpec.builder(plugin, odd).build()))
                .isInstanceOf(SimulationSetupException.class)
                .hasMessageContaining("odd.wasm imports xtp:test/harness.assert with type (I64) -> nil")
                .hasMessageContaining("the assert of xtp-test releases before mid-2024");
    }

    @Test
    void theTwoArgumentAssertOfOlderXtpTestReleasesRunsWithAnEmptyReason() throws IOException {
        String wat = new WatTestModule()
                .group("old style")
                .raw("(call $assert (call $str (i32.const 8192) (i32.const 6)) (i64.const 1))")
                .raw("(call $assert (call $str (i32.const 8192) (i32.const 6)) (i64.const 0))")
                .wat()
                .replace("(import \"xtp:test/harness\" \"assert\" (func $assert (param i64 i64 i64)))",
                        "(import \"xtp:test/harness\" \"assert\" (func $assert (param i64 i64)))")
                .replace("(memory 1)", "(memory 1)\n  (data (i32.const 8192) \"passes\")");
        Path old = dir.resolve("old.wasm");
        Files.write(old, com.dylibso.chicory.wabt.Wat2Wasm.parse(wat));

        SimulationRecord record = run(SimulationSpec.builder(plugin, old).build());

        assertThat(record.groups().get(0).asserts())
                .extracting(AssertionResult::name, AssertionResult::passed, AssertionResult::reason)
                .containsExactly(tuple("passes", true, ""), tuple("passes", false, ""));
        assertThat(record.result().testReturnCode()).isZero();
    }

    @Test
    void invalidWasmAndMissingFilesNameTheFile() throws IOException {
        Path garbage = dir.resolve("garbage.wasm");
        Files.writeString(garbage, "this is not wasm");
        Path test = new WatTestModule().writeTo(dir, "test.wasm");
        assertThatThrownBy(() -> Simulation.prepare(SimulationSpec.builder(garbage, test).build()))
                .isInstanceOf(SimulationSetupException.class)
                .hasMessageContaining("garbage.wasm: not a valid Wasm module: it does not start with \\0asm");
        Path truncated = dir.resolve("truncated.wasm");
        byte[] real = Files.readAllBytes(plugin);
        Files.write(truncated, java.util.Arrays.copyOf(real, real.length / 2));
        assertThatThrownBy(() -> Simulation.prepare(SimulationSpec.builder(truncated, test).build()))
                .hasMessageContaining("truncated.wasm: not a valid Wasm module: ");
        assertThatThrownBy(() -> Simulation.prepare(SimulationSpec.builder(dir.resolve("missing.wasm"), test).build()))
                .hasMessageContaining("missing.wasm: no such file");
    }

    @Test
    void aPreparedSimulationRunsAgainFromFreshInstancesWithItsOwnCounts() throws IOException {
        Path test = new WatTestModule()
                .assertFreshInstance("the test module starts fresh")
                .group("echo")
                .assertCallEquals("echo returns its input", "echo", "hello", "hello")
                .assertCallEquals("a wrong expectation fails", "echo", "hello", "bye")
                .writeTo(dir, "test.wasm");
        Simulation simulation = Simulation.prepare(SimulationSpec.builder(plugin, test).build());

        for (int run = 0; run < 3; run++) {
            SimulationRecord record = new SimulationRecord();
            SimulationResult result = simulation.run(record);

            assertThat(result.passed()).as("run %d", run).isEqualTo(2);
            assertThat(result.failed()).as("run %d", run).isEqualTo(1);
            assertThat(record.groups()).extracting(SimulationRecord.Group::name).containsExactly(null, "echo");
        }
    }

    @Test
    void theSimulationsOfARunReadEachFileOnce() throws IOException {
        Path test = new WatTestModule().assertValue("ok", true, "").writeTo(dir, "test.wasm");
        ModuleFiles modules = new ModuleFiles();
        SimulationSpec first = SimulationSpec.builder(plugin, test).withModules(modules).build();
        assertThat(Simulation.run(first, new SimulationListener() {}).successful()).isTrue();
        assertThat(modules.reads()).as("the plugin and the test module").isEqualTo(2);

        SimulationSpec second = SimulationSpec.builder(plugin, test).withModules(modules).build();
        assertThat(Simulation.run(second, new SimulationListener() {}).successful()).isTrue();
        assertThat(modules.reads()).as("nothing read again").isEqualTo(2);

        Files.write(test, new byte[(int) Files.size(test)]); // a build step rewrote it
        assertThatThrownBy(() -> Simulation.prepare(SimulationSpec.builder(plugin, test).withModules(modules).build()))
                .isInstanceOf(SimulationSetupException.class)
                .hasMessageContaining("not a valid Wasm module");
        assertThat(modules.reads()).isEqualTo(3);
    }
}

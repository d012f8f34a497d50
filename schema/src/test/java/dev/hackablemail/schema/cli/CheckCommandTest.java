package dev.hackablemail.schema.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    private static final String ON_EMAIL = "(func (export \"onEmail\") (result i32) i32.const 0)";
    private static final String DELIVER = "(import \"extism:host/user\" \"deliver\" (func (param i64) (result i64)))";

    @TempDir
    Path dir;

    private Path plugin(String... fields) throws Exception {
        return Files.write(dir.resolve("plugin.wasm"), Wat2Wasm.parse("(module " + String.join(" ", fields) + ")"));
    }

    @Test
    void aPluginThatFitsExitsZero() throws Exception {
        Path plugin = plugin(DELIVER, ON_EMAIL);

        Run run = Run.of(new CheckCommand(), plugin.toString(), "--schema", "on-email.yaml");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(plugin + ": fits on-email.yaml (1 export, 2 host functions declared)\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void problemsArePrintedOneALineThenASummaryAndExitOne() throws Exception {
        Path plugin = plugin("(import \"extism:host/user\" \"sendSms\" (func (param i64) (result i64)))");

        Run run = Run.of(new CheckCommand(), plugin.toString(), "-s", "on-email.yaml");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(String.join("\n",
                plugin + ": export onEmail missing (schema on-email.yaml requires it, a function () -> i32)",
                plugin + " imports extism:host/user.sendSms, which schema on-email.yaml does not declare"
                        + " (it declares: deliver, reply)",
                plugin + ": 2 problems against on-email.yaml",
                ""));
    }

    @Test
    void aFileThatIsNotWasmExitsTwo() throws Exception {
        Path notWasm = Files.writeString(dir.resolve("plugin.wasm"), "hello");

        Run run = Run.of(new CheckCommand(), notWasm.toString(), "--schema", "on-email.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + notWasm + ": not a valid Wasm module: it does not start with \\0asm\n");
    }

    @Test
    void aMissingPluginExitsTwo() {
        Run run = Run.of(new CheckCommand(), "missing.wasm", "--schema", "on-email.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: cannot read missing.wasm: no such file\n");
    }

    @Test
    void anInvalidSchemaExitsTwoListingItsProblems() throws Exception {
        Path plugin = plugin(ON_EMAIL);

        Run run = Run.of(new CheckCommand(), plugin.toString(), "--schema", "src/test/bad-schemas/cycles.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("cyclic reference Chicken.egg")
                .contains("error: src/test/bad-schemas/cycles.yaml is not a valid schema (2 problems)");
    }

    @Test
    void theSchemaIsRequired() throws Exception {
        Run run = Run.of(new CheckCommand(), plugin(ON_EMAIL).toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--schema=SCHEMA.yaml'");
    }

    @Test
    void helpExplainsAndGivesExamples() {
        Run run = Run.of(new CheckCommand(), "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: check [-h] -s=SCHEMA.yaml PLUGIN.wasm")
                .contains("() -> i32")
                .contains("(i64) -> i64")
                .contains("xtp-sim check plugin.wasm --schema schema.yaml");
    }
}

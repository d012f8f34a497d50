package dev.hackablemail.schema.wasm;

import static dev.hackablemail.schema.wasm.TestPlugins.DELIVER;
import static dev.hackablemail.schema.wasm.TestPlugins.KERNEL_INPUT;
import static dev.hackablemail.schema.wasm.TestPlugins.MEMORY;
import static dev.hackablemail.schema.wasm.TestPlugins.ON_EMAIL;
import static dev.hackablemail.schema.wasm.TestPlugins.module;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hackablemail.schema.SampleSchemas;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PluginCheckerTest {

    private static final Schema ON_EMAIL_SCHEMA = SampleSchemas.onEmail();

    @Test
    void aPluginThatFitsHasNoProblems() throws Exception {
        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, TestPlugins.good(), "plugin.wasm")).isEmpty();
    }

    @Test
    void aPluginNeedNotImportEveryHostFunction() throws Exception {
        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, module(ON_EMAIL), "plugin.wasm")).isEmpty();
    }

    @Test
    void aMissingExportIsReported() throws Exception {
        byte[] wasm = module(DELIVER, MEMORY, "(func (export \"on_email\") (result i32) i32.const 0)");

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm")).containsExactly(
                "plugin.wasm: export onEmail missing (schema on-email.yaml requires it, a function () -> i32)");
    }

    @Test
    void aModuleTheCallerParsedIsCheckedAsItsBytesAre() throws Exception {
        byte[] wasm = module(DELIVER, MEMORY, "(func (export \"on_email\") (result i32) i32.const 0)");

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, com.dylibso.chicory.wasm.Parser.parse(wasm), "plugin.wasm"))
                .isNotEmpty()
                .isEqualTo(PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm"));
    }

    @Test
    void anUndeclaredHostFunctionIsReported() throws Exception {
        byte[] wasm = module(DELIVER, "(import \"extism:host/user\" \"sendSms\" (func (param i64) (result i64)))", ON_EMAIL);

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm")).containsExactly(
                "plugin.wasm imports extism:host/user.sendSms, which schema on-email.yaml does not declare"
                        + " (it declares: deliver, reply)");
    }

    @Test
    void anExportOfTheWrongTypeIsReported() throws Exception {
        byte[] wasm = module("(func (export \"onEmail\") (param i64) (result i64) i64.const 0)");

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm")).containsExactly(
                "plugin.wasm: export onEmail has type (i64) -> i64; an Extism export must be () -> i32");
    }

    @Test
    void anImportOfTheWrongTypeIsReported() throws Exception {
        byte[] wasm = module("(import \"extism:host/user\" \"deliver\" (func (param i32) (result i32)))",
                "(import \"extism:host/user\" \"reply\" (func (param i64)))", ON_EMAIL);

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm")).containsExactly(
                "plugin.wasm imports extism:host/user.deliver with type (i32) -> i32; schema on-email.yaml declares (i64) -> i64",
                "plugin.wasm imports extism:host/user.reply with type (i64) -> (); schema on-email.yaml declares (i64) -> i64");
    }

    @Test
    void importsFromOtherModulesAreReported() throws Exception {
        byte[] wasm = module("(import \"env\" \"abort\" (func (param i32 i32 i32 i32)))", KERNEL_INPUT, ON_EMAIL);

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm")).containsExactly(
                "plugin.wasm imports env.abort, but a plugin may import only from extism:host/user (host functions),"
                        + " extism:host/env (the Extism kernel) and wasi_snapshot_preview1 (WASI)");
    }

    @Test
    void anExportThatIsNoFunctionIsReported() throws Exception {
        byte[] wasm = module("(global (export \"onEmail\") i32 (i32.const 0))");

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm")).containsExactly(
                "plugin.wasm: export onEmail is a global, not a function () -> i32");
    }

    @Test
    void aReExportedImportIsCheckedByItsType() throws Exception {
        // the function index space starts with imports: exporting index 0 exports deliver
        byte[] wasm = module(DELIVER, "(export \"onEmail\" (func 0))");

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm")).containsExactly(
                "plugin.wasm: export onEmail has type (i64) -> i64; an Extism export must be () -> i32");
    }

    @Test
    void everyProblemIsListedAtOnce() throws Exception {
        byte[] wasm = module("(import \"extism:host/user\" \"sendSms\" (func (param i64) (result i64)))",
                "(import \"extism:host/user\" \"deliver\" (func (param i32) (result i32)))",
                "(import \"env\" \"abort\" (func))");

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm")).hasSize(4)
                .first().asString().startsWith("plugin.wasm: export onEmail missing");
    }

    @Test
    void importSignaturesFollowTheSchemasInputAndOutput() throws Exception {
        Schema schema = SchemaParser.parse(String.join("\n",
                "version: v1-draft",
                "exports:",
                "  run: {}",
                "imports:",
                "  tick: {}",
                "  now: {output: {contentType: application/json, type: integer}}",
                "  log: {input: {contentType: text/plain; charset=utf-8, type: string}}"), "clock.yaml").orThrow();
        byte[] good = module(
                "(import \"extism:host/user\" \"tick\" (func))",
                "(import \"extism:host/user\" \"now\" (func (result i64)))",
                "(import \"extism:host/user\" \"log\" (func (param i64)))",
                "(func (export \"run\") (result i32) i32.const 0)");
        byte[] bad = module(
                "(import \"extism:host/user\" \"tick\" (func (param i64) (result i64)))",
                "(func (export \"run\") (result i32) i32.const 0)");

        assertThat(PluginChecker.check(schema, good, "clock.wasm")).isEmpty();
        assertThat(PluginChecker.check(schema, bad, "clock.wasm")).containsExactly(
                "clock.wasm imports extism:host/user.tick with type (i64) -> i64; schema clock.yaml declares () -> ()");
    }

    @Test
    void aV0SchemaDeclaresNoHostFunctions() throws Exception {
        Schema schema = SchemaParser.parse("version: v0\nexports: [onEmail]\n", "old.yaml").orThrow();

        assertThat(PluginChecker.check(schema, module(ON_EMAIL), "p.wasm")).isEmpty();
        assertThat(PluginChecker.check(schema, module(DELIVER, ON_EMAIL), "p.wasm")).containsExactly(
                "p.wasm imports extism:host/user.deliver, which schema old.yaml does not declare"
                        + " (it declares no host functions)");
    }

    @Test
    void bytesThatAreNotWasmAreAnErrorNamingTheFile() {
        assertThatThrownBy(() -> PluginChecker.check(ON_EMAIL_SCHEMA, "version: v1-draft".getBytes(), "plugin.wasm"))
                .isInstanceOf(InvalidWasmException.class)
                .hasMessage("plugin.wasm: not a valid Wasm module: it does not start with \\0asm");
    }

    @Test
    void aTruncatedModuleIsAnErrorNamingTheFile() {
        byte[] good = TestPlugins.good();
        byte[] truncated = Arrays.copyOf(good, good.length - 7);

        assertThatThrownBy(() -> PluginChecker.check(ON_EMAIL_SCHEMA, truncated, "plugin.wasm"))
                .isInstanceOf(InvalidWasmException.class)
                .hasMessageStartingWith("plugin.wasm: not a valid Wasm module: ")
                .hasMessageNotContaining("out of bounds for length").hasMessageNotContaining("Exception");
    }

    @Test
    void bytesThatCrashChicorysParserAreAnInvalidModuleNamingTheFile() {
        byte[] wasm = module(ON_EMAIL);
        // onEmail's body "i32.const 0; end" becomes "end; end; end": one end too many.
        int body = indexOf(wasm, new byte[] {0x41, 0x00, 0x0b});
        wasm[body] = 0x0b;
        wasm[body + 1] = 0x0b;
        assertThatThrownBy(() -> com.dylibso.chicory.wasm.Parser.parse(wasm))
                .as("what the checker guards against").isInstanceOf(NullPointerException.class);

        assertThatThrownBy(() -> PluginChecker.check(ON_EMAIL_SCHEMA, wasm, "plugin.wasm"))
                .isInstanceOf(InvalidWasmException.class)
                .hasMessageMatching("plugin\\.wasm: not a valid Wasm module: unbalanced `end` at byte 0x"
                        + Integer.toHexString(body) + " of function \\d+: it ends the function before the last byte"
                        + " of its body \\(0x" + Integer.toHexString(body + 2) + "\\)");
    }

    @Test
    void aFunctionMissingItsEndIsNamedInWasmTerms() {
        byte[] wasm = module(ON_EMAIL);
        // onEmail's body "i32.const 0; end" becomes "block; i32.const 0; end": the function's own end is missing
        int body = indexOf(wasm, new byte[] {0x41, 0x00, 0x0b});
        byte[] opened = new byte[wasm.length];
        System.arraycopy(wasm, 0, opened, 0, body);
        opened[body] = 0x02;
        opened[body + 1] = 0x40;
        opened[body + 2] = 0x0b;
        System.arraycopy(wasm, body + 3, opened, body + 3, wasm.length - body - 3);

        assertThat(WasmStructure.problem(opened)).hasValueSatisfying(reason -> assertThat(reason)
                .matches("function \\d+ is missing 1 `end`: its body \\(bytes 0x[0-9a-f]+ and before\\) ends inside a block"));
        assertThat(WasmStructure.problem(wasm)).isEmpty();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = bytes.length - part.length; i >= 0; i--) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void checksAFileByItsName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.wasm");
        Files.write(file, module(DELIVER));

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, file)).singleElement().asString()
                .startsWith("mine.wasm: export onEmail missing");
    }

    @Test
    void theExamplePluginFitsOnEmail() throws Exception {
        Path plugin = Path.of("../example-plugin/dist/plugin.wasm");
        assumeTrue(Files.isRegularFile(plugin), "the example plugin is not built yet: " + plugin);

        assertThat(PluginChecker.check(ON_EMAIL_SCHEMA, plugin)).isEmpty();
    }
}

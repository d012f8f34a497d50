package dev.hackablemail.schema.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCommandTest {

    @TempDir
    Path dir;

    @Test
    void aValidSchemaExitsZero() {
        Run run = Run.of(new SchemaCommand(), "validate", "on-email.yaml");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("on-email.yaml: valid XTP schema v1-draft (1 export, 2 imports, 2 types)\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void problemsArePrintedOneALineThenASummaryAndExitOne() {
        Run run = Run.of(new SchemaCommand(), "validate", "src/test/bad-schemas/dangling-refs.yaml");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().split("\n")).hasSize(5)
                .startsWith("src/test/bad-schemas/dangling-refs.yaml:10:13: exports.onEmail.input.$ref:"
                        + " no schema named 'Email' in components.schemas (there are: IncomingEmail)")
                .endsWith("src/test/bad-schemas/dangling-refs.yaml: 4 problems");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aMissingFileExitsTwo() {
        Run run = Run.of(new SchemaCommand(), "validate", dir.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: cannot read " + dir.resolve("nope.yaml") + ": no such file\n");
    }

    @Test
    void aFileThatIsNotYamlExitsTwo() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.yaml"), "version: v1-draft\nexports: {a: [\n");

        Run run = Run.of(new SchemaCommand(), "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: " + file + ":3:1: not valid YAML: ");
    }

    @Test
    void aBinaryFileExitsTwo() throws Exception {
        Path file = Files.write(dir.resolve("plugin.wasm"), new byte[] {0, 'a', 's', 'm', (byte) 0xff, (byte) 0xfe});

        Run run = Run.of(new SchemaCommand(), "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not UTF-8 text, so not a YAML schema");
    }

    @Test
    void theWorstOfSeveralFilesDecides() {
        Run run = Run.of(new SchemaCommand(), "validate", "on-email.yaml", "src/test/bad-schemas/cycles.yaml");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("on-email.yaml: valid").contains("cycles.yaml: 2 problems");
    }

    @Test
    void withoutACommandItPrintsUsageAndExitsTwo() {
        Run run = Run.of(new SchemaCommand());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing command").contains("validate");
    }

    @Test
    void withoutAFileItIsAUsageError() {
        Run run = Run.of(new SchemaCommand(), "validate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'SCHEMA.yaml'");
    }

    @Test
    void helpExplainsAndGivesExamples() {
        Run run = Run.of(new SchemaCommand(), "validate", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: schema validate [-h] SCHEMA.yaml...")
                .contains("Examples:")
                .contains("xtp-sim schema validate schema.yaml");
    }
}

package dev.hackablemail.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.runner.fuzz.HostileSchemas;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code xtp-sim fuzz}: exit codes, what it prints, the saved failures, the report, replay. */
class FuzzCommandTest {

    private static final String ROOT = "..";
    private static final String SCHEMA = ROOT + "/schema/on-email.yaml";
    private static final String EXAMPLE = ROOT + "/example-plugin/dist/plugin.wasm";
    private static final String UTF8_TRAP = ROOT + "/fuzz-targets/dist/utf8-trap.wasm";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = XtpSim.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void aPluginWithoutDefectsExitsZeroAndReportsTheSpeed() {
        int status = run("fuzz", EXAMPLE, "--schema", SCHEMA, "--runs", "20", "--seed", "3", "--time", "2m",
                "--save-dir", dir.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("  ✓ no trap or error\n", "  ✓ deterministic\n", "no failure in 20 inputs\n");
        assertThat(err.toString()).containsPattern("fuzz: 20 inputs in [0-9.]+ s \\([0-9]+ inputs/s\\)");
    }

    @Test
    void aFailureExitsOneAndIsSavedReportedAndReplayable() throws IOException {
        Path report = dir.resolve("report.json");
        int status = run("fuzz", UTF8_TRAP, "--schema", SCHEMA, "--seed", "1", "--time", "2m", "--shrink-time", "3s",
                "--report-json", report.toString());

        assertThat(status).as(err.toString()).isEqualTo(1);
        Path saved = dir.resolve("onEmail-no-trap-or-error.json");
        assertThat(out.toString()).contains("  ✗ no trap or error (input ", "trapped",
                "saved: " + saved, "replay: xtp-sim fuzz " + UTF8_TRAP + " --schema " + SCHEMA + " --timeout 2s --replay "
                        + saved, "--seed 1 --runs ");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("passed").booleanValue()).isFalse();
        assertThat(json.get("properties").get(1).get("failure").get("input").get("headers").toString())
                .isEqualTo(new ObjectMapper().readTree(saved.toFile()).get("input").get("headers").toString());

        out.getBuffer().setLength(0);
        assertThat(run("fuzz", UTF8_TRAP, "--schema", SCHEMA, "--replay", saved.toString())).isEqualTo(1);
        assertThat(out.toString()).startsWith("✗ no trap or error\n").contains("trapped");
        assertThat(run("fuzz", EXAMPLE, "--schema", SCHEMA, "--replay", saved.toString())).isZero();
    }

    @Test
    void whatCannotRunExitsTwoWithAClearMessage() throws IOException {
        assertThat(run("fuzz", EXAMPLE, "--schema", SCHEMA, "--export", "onMail")).isEqualTo(2);
        assertThat(err.toString()).contains("declares no export named 'onMail' (its exports: onEmail)");

        assertThat(run("fuzz", EXAMPLE, "--schema", dir.resolve("none.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("none.yaml: no such file (the schema)");

        assertThat(run("fuzz", EXAMPLE, "--schema", SCHEMA, "--runs", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--runs must be at least 1");

        Path notSaved = Files.writeString(dir.resolve("x.json"), "{}");
        assertThat(run("fuzz", EXAMPLE, "--schema", SCHEMA, "--replay", notSaved.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("x.json: not a saved failure");
    }

    @Test
    void replayingAFileThatIsNotJsonSaysWhereWithoutParserInternals() {
        assertThat(run("fuzz", EXAMPLE, "--schema", SCHEMA, "--replay", UTF8_TRAP)).isEqualTo(2);
        assertThat(err.toString()).startsWith("xtp-sim fuzz: " + UTF8_TRAP + ":1:1: not a saved failure (not JSON: ")
                .doesNotContain("Source").doesNotContain("REDACTED").doesNotContain("Feature");
    }

    @Test
    void aFailureThatCannotBeSavedIsStillPrintedAndExitsOne() {
        int status = run("fuzz", UTF8_TRAP, "--schema", SCHEMA, "--seed", "1", "--time", "2m", "--shrink-time", "3s",
                "--save-dir", "/proc/x");

        assertThat(status).as(err.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("  ✗ no trap or error (input ", "trapped", "saved: no (see the error below)");
        assertThat(err.toString()).contains("xtp-sim fuzz: /proc/x/onEmail-no-trap-or-error.json: cannot be written:"
                + " no such folder");
    }

    @Test
    void aMockHostLackingAnImportIsALinkErrorNotAFinding() throws IOException {
        Path host = dir.resolve("deliver-only-host.wasm");
        Files.write(host, com.dylibso.chicory.wabt.Wat2Wasm.parse(
                "(module (func (export \"deliver\") (param i64) (result i64) (local.get 0)))"));

        assertThat(run("fuzz", EXAMPLE, "--schema", SCHEMA, "--mock-host", host.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("does not export 'reply'");
    }

    @Test
    void helpShowsTheShorterFuzzingTimeout() {
        run("fuzz", "--help");

        assertThat(out.toString()).containsPattern("Wall-time limit of each plugin call \\(default:\\s+2s\\)");
    }
    /** Schemas the validator accepts that once hung or overflowed the stack: the time budget holds. */
    @Test
    void hostileSchemasKeepTheTimeBudgetAndNeverOverflowTheStack() throws IOException {
        Path recursiveMap = Files.writeString(dir.resolve("tree.yaml"), HostileSchemas.recursiveMapValues("onEmail"));
        String chain = HostileSchemas.chainOf3000RequiredTypes("onEmail");
        Path deep = Files.writeString(dir.resolve("deep.yaml"), chain);

        for (Path schema : List.of(recursiveMap, deep)) {
            long start = System.nanoTime();
            int status = run("fuzz", EXAMPLE, "--schema", schema.toString(), "--mock-host", ROOT + "/mock-host/dist/host.wasm",
                    "--time", "3s", "--shrink-time", "2s",
                    "--save-dir", dir.toString());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat(status).as(schema + ": " + err).isIn(0, 1);
            assertThat(seconds).as(schema + ": seconds for --time 3s --shrink-time 2s").isLessThan(20);
            assertThat(err.toString()).doesNotContain("StackOverflowError", "Exception");
        }
    }
}

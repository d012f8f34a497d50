package dev.hackablemail.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulation file's limits are read by the rules of every other setting (runner/config/Quantities). */
class SimulationYamlTest {

    @TempDir
    Path dir;

    @Test
    void limitsAreWrittenAsInTheFilterAndOnTheCommandLine() throws IOException {
        Path file = TestFiles.write(dir, "limits.simulation.yaml", """
                with: t.wasm
                limits: {timeout: 10, run_timeout: 2m, memory: 100KiB, kernel_memory: 64mb, output: 0}
                """);

        SimulationYaml.Result result = SimulationYaml.parse(file);

        assertThat(result.problems()).isEmpty();
        assertThat(result.definition().limits()).isEqualTo(new Limits(
                Duration.ofSeconds(10), Duration.ofMinutes(2), 2, 64L << 20, 0L));
    }

    @Test
    void aSeedIsAWholeNumber() throws IOException {
        Path seeded = TestFiles.write(dir, "seeded.simulation.yaml", "with: t.wasm\nseed: 7\n");
        Path bad = TestFiles.write(dir, "bad.simulation.yaml", "with: t.wasm\nseed: soon\n");

        assertThat(SimulationYaml.parse(seeded).definition().seed()).isEqualTo(7L);
        assertThat(SimulationYaml.parse(bad).problems()).singleElement().asString()
                .endsWith("bad.simulation.yaml:2:7: seed: 'soon' is not a whole number");
    }
}

package dev.hackablemail.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of `xtp-sim bench` that run other processes: output, exit codes, the JS runtime's absence. */
class BenchPartsTest {

    @TempDir
    Path dir;

    @Test
    void aRunReturnsItsStandardOutputWithTheEnvironmentGiven() {
        FreshJvmRuns runs = new FreshJvmRuns(dir, Map.of("BASE", "base"));
        String out = runs.run(List.of("sh", "-c", "echo $BASE $EXTRA; echo noise >&2"), Map.of("EXTRA", "extra"));
        assertThat(out).isEqualTo("base extra\n");
    }

    @Test
    void aRunThatFailsSaysSoWithItsLastLine() {
        FreshJvmRuns runs = new FreshJvmRuns(dir, Map.of());
        assertThatThrownBy(() -> runs.run(List.of("sh", "-c", "echo first; echo last words; exit 3"), Map.of()))
                .hasMessageContaining("exited with 3").hasMessageContaining("last words");
    }

    @Test
    void theMedianOfRunsIsOneOfTheirTimes() {
        FreshJvmRuns runs = new FreshJvmRuns(dir, Map.of());
        assertThat(runs.medianNanos(3, List.of("true"), Map.of())).isPositive();
    }

    @Test
    void theJsRuntimeIsSkippedWithAReasonWhenItsPackageIsMissing() throws IOException {
        JsRuntimeBench js = new JsRuntimeBench(dir, new FreshJvmRuns(dir, Map.of()));
        assertThat(js.missing()).hasValueSatisfying(reason -> assertThat(reason).contains("calls.mjs not found"));
        Files.writeString(dir.resolve(JsRuntimeBench.SCRIPT), "");
        assertThat(js.missing()).hasValueSatisfying(reason -> assertThat(reason).contains("npm ci"));
    }

    @Test
    void timingOutputIsReadAsJson() {
        assertThat(JsRuntimeBench.medianOf("{\"calls\":3000,\"medianNanos\":11361,\"minNanos\":7935}\n"))
                .isEqualTo(11361);
        assertThatThrownBy(() -> JsRuntimeBench.medianOf("{\"calls\":3}")).hasMessageContaining("medianNanos");
        assertThatThrownBy(() -> JsRuntimeBench.medianOf("3000 calls: median 11 µs"))
                .hasMessageContaining("3000 calls: median 11 µs");
        assertThatThrownBy(() -> JsRuntimeBench.medianOf("{\"calls\":")).hasMessageContaining("not JSON");
    }
}

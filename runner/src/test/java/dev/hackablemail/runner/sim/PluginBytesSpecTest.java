package dev.hackablemail.runner.sim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A plugin handed over as bytes runs like one in a file, and messages call it by the given name. */
class PluginBytesSpecTest {

    private static final Path ROOT = Path.of("..");
    private static final Path TEST = ROOT.resolve("simulations/dist/test.wasm");
    private static final Path HOST = ROOT.resolve("mock-host/dist/host.wasm");

    @Test
    void pluginBytesRunTheSameSimulationAsTheFile() throws Exception {
        Path file = ROOT.resolve("example-plugin/dist/broken/no-deliver.wasm");
        SimulationRecord fromFile = new SimulationRecord();
        SimulationRecord fromBytes = new SimulationRecord();

        Simulation.run(SimulationSpec.builder(file, TEST).withMockHost(HOST).build(), fromFile);
        SimulationSpec spec = SimulationSpec.builder("upload.wasm", Files.readAllBytes(file), TEST)
                .withMockHost(HOST).build();
        Simulation.run(spec, fromBytes);

        assertThat(spec.pluginName()).isEqualTo("upload.wasm");
        assertThat(fromBytes.result().passed()).isEqualTo(fromFile.result().passed()).isPositive();
        assertThat(fromBytes.result().failed()).isEqualTo(fromFile.result().failed()).isPositive();
    }

    @Test
    void aBrokenUploadIsNamedByItsDisplayNameNotByAnyPath() {
        SimulationSpec spec = SimulationSpec.builder("plugin.wasm", "not wasm".getBytes(UTF_8), TEST).build();

        assertThatThrownBy(() -> Simulation.prepare(spec))
                .isInstanceOf(SimulationSetupException.class)
                .hasMessageStartingWith("plugin.wasm: ");
    }

    @Test
    void theSpecKeepsItsOwnCopyOfTheBytes() throws Exception {
        byte[] wasm = Files.readAllBytes(ROOT.resolve("example-plugin/dist/plugin.wasm"));
        SimulationSpec spec = SimulationSpec.builder("plugin.wasm", wasm, TEST).withMockHost(HOST).build();
        wasm[0] = 'X'; // the caller reuses its buffer

        SimulationRecord record = new SimulationRecord();
        Simulation.run(spec, record);

        assertThat(record.result().successful()).isTrue();
    }

    @Test
    void aFilePluginIsNamedByItsPath() {
        Path file = ROOT.resolve("example-plugin/dist/plugin.wasm");

        assertThat(SimulationSpec.builder(file, TEST).build().pluginName()).isEqualTo(file.toString());
    }
}

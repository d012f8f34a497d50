package dev.hackablemail.runner.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.runner.guest.GuestModule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A plugin handed over as a loaded module runs like one in a file, and messages call it by its name. */
class PluginModuleSpecTest {

    private static final Path ROOT = Path.of("..");
    private static final Path TEST = ROOT.resolve("simulations/dist/test.wasm");
    private static final Path HOST = ROOT.resolve("mock-host/dist/host.wasm");

    @Test
    void aLoadedModuleRunsTheSameSimulationAsTheFile() throws Exception {
        Path file = ROOT.resolve("example-plugin/dist/broken/no-deliver.wasm");
        SimulationRecord fromFile = new SimulationRecord();
        SimulationRecord fromModule = new SimulationRecord();

        Simulation.run(SimulationSpec.builder(file, TEST).withMockHost(HOST).build(), fromFile);
        SimulationSpec spec = SimulationSpec.builder(GuestModule.of("upload.wasm", Files.readAllBytes(file)), TEST)
                .withMockHost(HOST).build();
        Simulation.run(spec, fromModule);

        assertThat(spec.pluginName()).isEqualTo("upload.wasm");
        assertThat(fromModule.result().passed()).isEqualTo(fromFile.result().passed()).isPositive();
        assertThat(fromModule.result().failed()).isEqualTo(fromFile.result().failed()).isPositive();
    }

    @Test
    void aFilePluginIsNamedByItsPath() {
        Path file = ROOT.resolve("example-plugin/dist/plugin.wasm");

        assertThat(SimulationSpec.builder(file, TEST).build().pluginName()).isEqualTo(file.toString());
    }
}

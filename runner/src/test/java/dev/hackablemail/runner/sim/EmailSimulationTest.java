package dev.hackablemail.runner.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The repository's own email simulation (built from C in simulations/guest) against the
 * example plugin and its deliberately broken variants: the simulation must tell them apart.
 */
class EmailSimulationTest {

    private static final Path ROOT = Path.of("..");
    private static final Path TEST = ROOT.resolve("simulations/dist/test.wasm");
    private static final Path HOST = ROOT.resolve("mock-host/dist/host.wasm");

    private static SimulationRecord simulate(String plugin) {
        SimulationRecord record = new SimulationRecord();
        Simulation.run(SimulationSpec.builder(ROOT.resolve(plugin), TEST).withMockHost(HOST).build(), record);
        return record;
    }

    private static List<String> failedGroups(SimulationRecord record) {
        return record.groups().stream().filter(g -> g.failed() > 0).map(SimulationRecord.Group::name)
                .collect(Collectors.toList());
    }

    @Test
    void theExamplePluginPassesEveryAssert() {
        SimulationRecord record = simulate("example-plugin/dist/plugin.wasm");
        assertThat(failedGroups(record)).isEmpty();
        assertThat(record.result().successful()).isTrue();
        assertThat(record.groups()).extracting(SimulationRecord.Group::name).contains(
                "Test with Deliver and Reply both succeeding",
                "Test with Deliver and Reply both failing",
                "Test with Deliver succeeding and Reply failing",
                "Test with Deliver failing and Reply succeeding",
                "Test without Subject header");
    }

    @ParameterizedTest(name = "{0} fails, for example in \"{1}\"")
    @CsvSource({
        "no-deliver.wasm, 'Test with Deliver and Reply both failing'",
        "always-reply.wasm, 'No Project XYZ, Deliver succeeding and Reply failing'",
        "hide-failure.wasm, 'Test with Deliver and Reply both failing'",
    })
    void eachBrokenVariantFailsTheSimulation(String variant, String aFailingGroup) {
        SimulationRecord record = simulate("example-plugin/dist/broken/" + variant);
        assertThat(record.result().successful()).isFalse();
        assertThat(failedGroups(record)).contains(aFailingGroup);
        assertThat(record.groups().stream().flatMap(g -> g.asserts().stream()).filter(a -> !a.passed()))
                .allSatisfy(a -> assertThat(a.reason()).isNotBlank());
    }
}

package dev.hackablemail.runner.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract simulation (simulations/guest/contract.c) on the runner: it sees the plugin's
 * host calls through the harness's {@code host_calls}, so it tells a plugin that decides
 * differently (accepted) from one that breaks a rule (each rule's assert fails).
 */
class ContractSimulationTest {

    private static final Path ROOT = Path.of("..");
    private static final Path CONTRACT = ROOT.resolve("simulations/dist/contract.wasm");
    private static final Path HOST = ROOT.resolve("mock-host/dist/host.wasm");

    private static SimulationRecord simulate(String plugin) {
        SimulationRecord record = new SimulationRecord();
        Simulation.run(SimulationSpec.builder(ROOT.resolve(plugin), CONTRACT).withMockHost(HOST).build(), record);
        return record;
    }

    private static List<String> failedAsserts(SimulationRecord record) {
        return record.groups().stream().flatMap(g -> g.asserts().stream()).filter(a -> !a.passed())
                .map(a -> a.name() + ": " + a.reason()).collect(Collectors.toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"example-plugin/dist/plugin.wasm", "example-plugin/dist/broken/no-deliver.wasm",
        "example-plugin/dist/broken/always-reply.wasm", "test-plugins/dist/accepted/vacation.wasm",
        "test-plugins/dist/accepted/dropper.wasm"})
    void pluginsThatDecideDifferentlyButHonourTheRulesPass(String plugin) {
        SimulationRecord record = simulate(plugin);
        assertThat(failedAsserts(record)).isEmpty();
        assertThat(record.result().passed()).isEqualTo(75);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "test-plugins/dist/rejected/deliver-twice.wasm | deliver is called at most once: deliver was called 2 times",
        "test-plugins/dist/rejected/reply-twice.wasm   | reply is called at most once: reply was called 2 times",
        "example-plugin/dist/broken/hide-failure.wasm  | no silent loss: deliver answered 1",
    })
    void aBrokenRuleFailsItsAssert(String plugin, String failure) {
        SimulationRecord record = simulate(plugin);
        assertThat(record.result().successful()).isFalse();
        assertThat(failedAsserts(record)).anySatisfy(f -> assertThat(f).startsWith(failure));
    }

    @Test
    void aPluginThatKeepsFailingIsNotTriedOnEveryMail() {
        SimulationRecord record = simulate("test-plugins/dist/rejected/deliver-twice.wasm");
        assertThat(failedAsserts(record)).anySatisfy(f -> assertThat(f).startsWith(
                "stopped early: the plugin gave no output on 3 mails"));
        assertThat(record.groups()).hasSize(3);
    }
}

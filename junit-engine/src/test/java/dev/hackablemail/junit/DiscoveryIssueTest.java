package dev.hackablemail.junit;

import static dev.hackablemail.junit.TestFiles.simulationEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.testkit.engine.EventConditions.engine;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoveryIssue.Severity;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;

/** What is wrong with a simulation file or the configuration is a discovery issue, never an exception. */
class DiscoveryIssueTest {

    @TempDir
    Path dir;

    private EngineDiscoveryResults discover(String yaml) throws IOException {
        Path file = TestFiles.write(dir, "broken.simulation.yaml", yaml);
        return simulationEngine().selectors(selectFile(file.toFile())).discover();
    }

    private static List<String> messages(EngineDiscoveryResults results) {
        return results.getDiscoveryIssues().stream().map(DiscoveryIssue::message).toList();
    }

    @Test
    void anUnknownKeyIsReportedWithTheFileAndLineAsSourceAndTheFileFailsAsATest() throws IOException {
        EngineDiscoveryResults results = discover("plugin: p.wasm\nwith: t.wasm\nmock_hots: h.wasm\n");

        DiscoveryIssue issue = results.getDiscoveryIssues().get(0);
        assertThat(results.getDiscoveryIssues()).hasSize(1);
        assertThat(issue.severity()).isEqualTo(Severity.WARNING);
        assertThat(issue.message()).endsWith("broken.simulation.yaml:3:1: mock_hots: unknown key 'mock_hots' (allowed"
                + " here: name, plugin, with, mock_host, mock_input, limits, config, seed, fuzz)");
        assertThat(issue.source()).contains(
                FileSource.from(dir.resolve("broken.simulation.yaml").toFile(), FilePosition.from(3, 1)));
        assertThat(results.getEngineDescriptor().getChildren()).singleElement().satisfies(file -> {
            assertThat(file).isInstanceOf(BrokenFileDescriptor.class);
            assertThat(file.getSource()).isEqualTo(issue.source());
        });
    }

    @Test
    void everyBadValueIsReported() throws IOException {
        EngineDiscoveryResults results = discover("""
                plugin: p.wasm
                with: t.wasm
                limits:
                  timeout: soon
                  memory: 0KiB
                  speed: 3
                config:
                  nested: {a: b}
                """);

        assertThat(messages(results)).satisfiesExactlyInAnyOrder(
                m -> assertThat(m).contains(":4:12: limits.timeout: 'soon' is not a duration (write it like 500ms,"),
                m -> assertThat(m).contains(":5:11: limits.memory: '0KiB' must be more than zero"),
                m -> assertThat(m).contains(":6:3: limits.speed: unknown key 'speed' (allowed here: timeout,"
                        + " run_timeout, memory, kernel_memory, output)"),
                m -> assertThat(m).contains(":8:11: config.nested: a config value must be a string, got a mapping"));
    }

    @Test
    void aSimulationNeedsATestModule() throws IOException {
        assertThat(messages(discover("plugin: p.wasm\n")))
                .singleElement().asString().endsWith(":1:1: no 'with' (the test module to run)");
    }

    @Test
    void mockInputIsDataOrAFile() throws IOException {
        assertThat(messages(discover("with: t.wasm\nplugin: p.wasm\nmock_input: {data: a, file: b}\n")))
                .singleElement().asString().endsWith(":3:13: mock_input: must be {data: ...} or {file: ...}");
        assertThat(messages(discover("with: t.wasm\nplugin: p.wasm\nmock_input: plain text\n")))
                .singleElement().asString().endsWith(":3:13: mock_input: mock_input ({data: ...} or {file: ...}) must be a mapping, got a string"
                        + " (plain text)");
    }

    @Test
    void syntaxErrorsAndEmptyFilesAreReported() throws IOException {
        assertThat(messages(discover("plugin: [p.wasm\nwith: t.wasm\n")))
                .singleElement().asString().contains("broken.simulation.yaml:", ": not valid YAML: ");
        assertThat(messages(discover("")))
                .singleElement().asString()
                .endsWith("broken.simulation.yaml: empty; a simulation needs at least 'with'");
        assertThat(messages(discover("- a list\n")))
                .singleElement().asString().endsWith(":1:1: a simulation file must be a mapping, got a list");
    }

    @Test
    void aPluginMustBeNamedByTheFileOrTheConfiguration() throws IOException {
        Path file = TestFiles.write(dir, "no-plugin.simulation.yaml", "with: t.wasm\n");

        EngineDiscoveryResults without = simulationEngine().selectors(selectFile(file.toFile())).discover();
        EngineDiscoveryResults with = simulationEngine().selectors(selectFile(file.toFile()))
                .configurationParameter(Constants.PLUGIN_PROPERTY_NAME, "some/plugin.wasm").discover();

        assertThat(messages(without)).singleElement().asString()
                .endsWith("no-plugin.simulation.yaml: no 'plugin', and the configuration parameter"
                        + " xtp.simulation.plugin names none either");
        assertThat(with.getDiscoveryIssues()).isEmpty();
        assertThat(with.getEngineDescriptor().getChildren()).hasSize(1);
    }

    @Test
    void aBrokenXtpTomlIsReportedWithTheMessageOfItsReader() throws IOException {
        Path toml = TestFiles.write(dir, "xtp.toml", "bin = 3\n");

        EngineDiscoveryResults results = simulationEngine().selectors(selectFile(toml.toFile())).discover();

        assertThat(results.getDiscoveryIssues()).singleElement().satisfies(issue -> {
            assertThat(issue.message()).isEqualTo(toml + ": 'bin' must be a string");
            assertThat(issue.source()).contains(FileSource.from(toml.toFile()));
        });
    }

    @Test
    void anAnchorNamingAMissingFileIsReportedWithTheClassAsSourceAndKeptForSurefire() {
        EngineDiscoveryResults results = simulationEngine().selectors(selectClass(MissingFileAnchor.class)).discover();

        assertThat(results.getDiscoveryIssues()).singleElement().satisfies(issue -> {
            assertThat(issue.severity()).isEqualTo(Severity.ERROR);
            assertThat(issue.message()).contains("@Simulations names 'no-such.simulation.yaml', which is neither a"
                    + " file under ");
            assertThat(issue.source()).contains(ClassSource.from(MissingFileAnchor.class));
        });
        // kept, so that a tool selecting classes runs the engine, which then fails on the issue
        assertThat(results.getEngineDescriptor().getChildren()).singleElement()
                .satisfies(anchor -> assertThat(anchor.mayRegisterTests()).isTrue());
    }

    @Test
    void aBrokenFileNamedByAnAnchorIsReportedOnce() throws IOException {
        EngineDiscoveryResults results = simulationEngine().selectors(selectClass(BrokenFileAnchor.class)).discover();

        assertThat(messages(results)).singleElement().asString()
                .endsWith("broken.simulation.yaml:2:1: plugn: unknown key 'plugn' (allowed here: name, plugin, with,"
                        + " mock_host, mock_input, limits, config, seed, fuzz)");
    }

    @Test
    void criticalIssuesFailTheEngineWhenItRuns() {
        simulationEngine().selectors(selectClass(MissingFileAnchor.class)).execute().allEvents()
                .assertEventsMatchLooselyInOrder(event(engine(), finishedWithFailure(
                        message(m -> m.contains("encountered a critical issue during test discovery")
                                && m.contains("no-such.simulation.yaml")))));
    }

    @Test
    void badConfigurationParametersAreReportedWhenThereIsSomethingToRun() throws IOException {
        Path file = TestFiles.write(dir, "fine.simulation.yaml", "plugin: p.wasm\nwith: t.wasm\n");

        EngineDiscoveryResults results = simulationEngine().selectors(selectFile(file.toFile()))
                .configurationParameter(Constants.TIMEOUT_PROPERTY_NAME, "soon")
                .configurationParameter(Constants.MEMORY_PROPERTY_NAME, "lots")
                .configurationParameter(Constants.EXECUTION_PROPERTY_NAME, "jit")
                .configurationParameter(Constants.BUILD_PROPERTY_NAME, "yes")
                .configurationParameter(Constants.LOG_PROPERTY_NAME, "loud")
                .discover();
        EngineDiscoveryResults nothingToRun = simulationEngine().selectors(selectClass(DiscoveryIssueTest.class))
                .configurationParameter(Constants.TIMEOUT_PROPERTY_NAME, "soon").discover();

        assertThat(messages(results)).containsExactlyInAnyOrder(
                "configuration parameter xtp.simulation.timeout: 'soon' is not a duration (write it like 500ms,"
                        + " 10s, 5m, 2h, 7d, PT10S; a bare number is seconds)",
                "configuration parameter xtp.simulation.memory: 'lots' is not a size (write it like 65536, 512KiB,"
                        + " 64MiB, 1GiB; a bare number is bytes)",
                "configuration parameter xtp.simulation.execution: 'jit' is neither compiler nor interpreter",
                "configuration parameter xtp.simulation.build: 'yes' is neither true nor false",
                "configuration parameter xtp.simulation.log: 'loud' is not one of off, error, warn, info, debug,"
                        + " trace");
        assertThat(nothingToRun.getDiscoveryIssues()).isEmpty();
    }

    @Simulations("no-such.simulation.yaml")
    static class MissingFileAnchor {}

    @Simulations("src/test/bad-simulations/broken.simulation.yaml")
    static class BrokenFileAnchor {}
}

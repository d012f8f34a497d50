package dev.hackablemail.junit;

import static dev.hackablemail.junit.TestFiles.simulationEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.hackablemail.runner.fuzz.HostileSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoveryIssue.Severity;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

/** The {@code fuzz:} section of a simulation file: each property a test, the shrunk input in a failure. */
class FuzzSectionTest {

    private static final Path SCHEMA = TestFiles.REPO.resolve("schema/on-email.yaml");
    private static final Path UTF8_TRAP = TestFiles.REPO.resolve("fuzz-targets/dist/utf8-trap.wasm");

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return TestFiles.write(dir, "fuzz.simulation.yaml", yaml);
    }

    private static String fuzz(String extra) {
        return "fuzz:\n  schema: " + SCHEMA + "\n  seed: 1\n  time: 2m\n" + extra;
    }

    @Test
    void aBrokenPropertyFailsItsTestWithTheShrunkInput() throws IOException {
        Path yaml = file("plugin: " + UTF8_TRAP + "\n" + fuzz(""));

        EngineExecutionResults results = simulationEngine().selectors(selectFile(yaml.toFile())).execute();

        results.testEvents().assertStatistics(s -> s.dynamicallyRegistered(5).started(5).succeeded(4).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(test(), displayName("no trap or error"),
                finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("onEmail trapped") && m.contains("shrunk input (")
                                && m.contains("\"headers\":{\"")))));
        results.containerEvents().assertThatEvents().haveExactly(1,
                event(displayName("fuzz onEmail"), finishedSuccessfully()));
    }

    @Test
    void aFailureIsSavedWithItsReplayLineAndReplayedFirstOnTheNextRunUntilItPasses() throws IOException {
        Path yaml = file("plugin: " + UTF8_TRAP + "\n" + fuzz("  runs: 300\n"));
        Path saved = Path.of(FuzzRun.FAILURES_DIR, yaml.toAbsolutePath().toString().replaceAll("[^A-Za-z0-9_.-]+", "_"),
                "onEmail-no-trap-or-error.json").toAbsolutePath();
        Files.deleteIfExists(saved);

        EngineExecutionResults first = simulationEngine().selectors(selectFile(yaml.toFile())).execute();
        first.testEvents().assertThatEvents().haveExactly(1, event(test(), displayName("no trap or error"),
                finishedWithFailure(message(m -> m.contains("shrunk input (") && m.contains("seed 1")
                        && m.contains("saved: " + saved + " (replayed first on the next run)")
                        && m.contains("replay: xtp-sim fuzz " + UTF8_TRAP + " --schema " + SCHEMA
                                + " --export onEmail --replay " + saved)))));
        assertThat(saved).exists();

        EngineExecutionResults second = simulationEngine().selectors(selectFile(yaml.toFile())).execute();
        second.testEvents().assertThatEvents().haveExactly(1, event(test(), displayName("no trap or error"),
                finishedWithFailure(message(m -> m.startsWith("a failure saved by an earlier run still fails: ")
                        && m.contains("saved input: " + saved)))));

        // the same file against a plugin without the defect: the saved failure passes and is deleted
        Files.writeString(yaml, "plugin: " + TestFiles.PLUGIN + "\nmock_host: " + TestFiles.MOCK_HOST + "\n"
                + fuzz("  runs: 20\n"));
        simulationEngine().selectors(selectFile(yaml.toFile())).execute().testEvents()
                .assertStatistics(s -> s.failed(0));
        assertThat(saved).doesNotExist();
    }

    @Test
    void theExamplePluginPassesItsSimulationAndItsFuzzing() throws IOException {
        Path yaml = file("plugin: " + TestFiles.PLUGIN + "\nwith: " + TestFiles.EMAIL_TEST + "\nmock_host: "
                + TestFiles.MOCK_HOST + "\n" + fuzz("  runs: 50\n"));

        EngineExecutionResults results = simulationEngine().selectors(selectFile(yaml.toFile())).execute();

        results.testEvents().assertStatistics(s -> s.started(TestFiles.EMAIL_ASSERTS + 5)
                .succeeded(TestFiles.EMAIL_ASSERTS + 5).failed(0));
    }

    @Test
    void aChainOf3000NestedTypesIsFuzzedWithoutOverflowingTheStack() throws IOException {
        Path schema = TestFiles.write(dir, "deep.yaml", HostileSchemas.chainOf3000RequiredTypes("onEmail"));
        Path yaml = file("plugin: " + TestFiles.PLUGIN + "\nmock_host: " + TestFiles.MOCK_HOST + "\nfuzz:\n  schema: "
                + schema + "\n  runs: 30\n  time: 1m\n");

        EngineExecutionResults results = simulationEngine().selectors(selectFile(yaml.toFile())).execute();

        results.allEvents().assertThatEvents().as(events(results)).noneMatch(e -> e.getPayload(
                org.junit.platform.engine.TestExecutionResult.class).flatMap(r -> r.getThrowable())
                .filter(t -> t instanceof StackOverflowError || t.getCause() instanceof StackOverflowError).isPresent());
        assertThat(results.testEvents().started().count()).as(events(results)).isEqualTo(5);
    }

    /** Every event of the run with its result and throwable: what a failed count alone does not say. */
    private static String events(EngineExecutionResults results) {
        StringBuilder out = new StringBuilder("events:");
        for (org.junit.platform.testkit.engine.Event e : results.allEvents().list()) {
            out.append("\n  ").append(e.getType()).append(' ').append(e.getTestDescriptor().getUniqueId());
            e.getPayload(org.junit.platform.engine.TestExecutionResult.class).ifPresent(r -> {
                out.append(' ').append(r.getStatus());
                r.getThrowable().ifPresent(t -> {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    t.printStackTrace(new java.io.PrintWriter(trace));
                    out.append('\n').append(trace.toString().lines().limit(40)
                            .collect(java.util.stream.Collectors.joining("\n    ")));
                });
            });
        }
        return out.toString();
    }

    @Test
    void oneFailedPropertyCanBeRerunByItsUniqueId() throws IOException {
        Path yaml = file("plugin: " + UTF8_TRAP + "\n" + fuzz("  runs: 300\n"));
        UniqueId simulation = simulationEngine().selectors(selectFile(yaml.toFile())).discover()
                .getEngineDescriptor().getChildren().iterator().next().getUniqueId();
        UniqueId property = simulation.append(FuzzDescriptor.SEGMENT_TYPE, "onEmail")
                .append(PropertyDescriptor.SEGMENT_TYPE, "no-trap-or-error");

        EngineExecutionResults results = simulationEngine().selectors(selectUniqueId(property)).execute();

        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
    }

    @Test
    void anAbsurdTimeOrRunCountIsRefusedWithItsRangeAndTheOtherFilesStillRun() throws IOException {
        Path bad = TestFiles.write(dir, "a-bad.simulation.yaml", "plugin: " + UTF8_TRAP + "\nfuzz:\n  schema: " + SCHEMA
                + "\n  time: 200000d\n  runs: 1000000000000\n");
        Path good = TestFiles.write(dir, "b-good.simulation.yaml", "plugin: " + UTF8_TRAP + "\n" + fuzz("  runs: 20\n"));

        EngineDiscoveryResults discovered = simulationEngine().selectors(selectFile(bad.toFile()),
                selectFile(good.toFile())).discover();
        assertThat(discovered.getDiscoveryIssues()).extracting(DiscoveryIssue::message).satisfiesExactlyInAnyOrder(
                m -> assertThat(m).endsWith(":4:9: 'fuzz.time': '200000d' is too long: a duration is 1ms to 3650d"
                        + " (ten years)"),
                m -> assertThat(m).endsWith(":5:9: 'fuzz.runs' is too large: it is 1 to 2147483647"));

        EngineExecutionResults results = simulationEngine().selectors(selectFile(bad.toFile()),
                selectFile(good.toFile())).execute();
        results.testEvents().assertStatistics(s -> s.started(6).failed(2).succeeded(4));
        results.testEvents().assertThatEvents().haveExactly(1, event(test(), displayName("a-bad.simulation.yaml"),
                finishedWithFailure(message(m -> m.contains("'fuzz.time': '200000d' is too long")
                        && m.contains("'fuzz.runs' is too large")))));
        results.testEvents().assertThatEvents().haveExactly(1, event(test(), displayName("no trap or error"),
                finishedWithFailure()));
    }

    @Test
    void aMissingSchemaOrAnUnknownExportIsADiscoveryError() throws IOException {
        Path missing = file("plugin: " + UTF8_TRAP + "\nfuzz:\n  schema: none.yaml\n");
        assertThat(simulationEngine().selectors(selectFile(missing.toFile())).discover().getDiscoveryIssues())
                .singleElement().satisfies(issue -> {
                    assertThat(issue.severity()).isEqualTo(Severity.WARNING);
                    assertThat(issue.message()).containsPattern(":3:\\d+: fuzz.schema: ").contains("none.yaml: no such file");
                });

        Path unknown = file("plugin: " + UTF8_TRAP + "\n" + fuzz("  export: onMail\n  runs: zero\n"));
        assertThat(simulationEngine().selectors(selectFile(unknown.toFile())).discover().getDiscoveryIssues())
                .extracting(DiscoveryIssue::message)
                .anySatisfy(m -> assertThat(m).contains("'fuzz.runs' must be a whole number, not 'zero'"));

        Path export = file("plugin: " + UTF8_TRAP + "\n" + fuzz("  export: onMail\n"));
        assertThat(simulationEngine().selectors(selectFile(export.toFile())).discover().getDiscoveryIssues())
                .singleElement().satisfies(issue -> assertThat(issue.message())
                        .contains("fuzz.export: on-email.yaml has no export 'onMail'; name one of onEmail"));
    }
}

package dev.hackablemail.junit;

import dev.hackablemail.runner.sim.WatTestModule;

import static dev.hackablemail.junit.TestFiles.EMAIL_ASSERTS;
import static dev.hackablemail.junit.TestFiles.EMAIL_GROUPS;
import static dev.hackablemail.junit.TestFiles.EMAIL_YAML;
import static dev.hackablemail.junit.TestFiles.simulationEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.started;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.EventConditions.uniqueId;
import static org.junit.platform.testkit.engine.EventConditions.uniqueIdSubstrings;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.hackablemail.junit.fixtures.EmailSimulations;
import dev.hackablemail.runner.guest.EntropyPlugin;
import dev.hackablemail.runner.guest.WasiSources;
import dev.hackablemail.runner.sim.SimulationSetupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

/** Running simulations: one container per simulation and group, one test per assert, as they happen. */
class ExecutionTest {

    static final UniqueId ENGINE = UniqueId.forEngine(Constants.ENGINE_ID);

    @TempDir
    Path dir;

    private EngineExecutionResults run(Path simulation, String... parameters) {
        var kit = simulationEngine().selectors(selectFile(simulation.toFile()));
        for (int i = 0; i < parameters.length; i += 2) {
            kit.configurationParameter(parameters[i], parameters[i + 1]);
        }
        return kit.execute();
    }

    @Test
    void theEmailSimulationPassesWithEveryAssertATestInItsGroup() {
        EngineExecutionResults results = simulationEngine().selectors(selectClass(EmailSimulations.class)).execute();

        results.testEvents().assertStatistics(s -> s.dynamicallyRegistered(EMAIL_ASSERTS).started(EMAIL_ASSERTS)
                .succeeded(EMAIL_ASSERTS).failed(0));
        results.containerEvents().assertStatistics(s -> s.dynamicallyRegistered(EMAIL_GROUPS)
                .started(EMAIL_GROUPS + 3).succeeded(EMAIL_GROUPS + 3));
        UniqueId simulation = DiscoveryTest.EMAIL_UNDER_ANCHOR;
        UniqueId group = simulation.append("group", "Test with Deliver and Reply both failing#1");
        results.allEvents().assertEventsMatchLooselyInOrder(
                event(uniqueId(DiscoveryTest.EMAIL_ANCHOR), started()),
                event(uniqueId(simulation), displayName("email"), started()),
                event(uniqueId(group), displayName("Test with Deliver and Reply both failing"), started()),
                event(uniqueId(group.append("assert", "onEmail returns output#1")), finishedSuccessfully()),
                event(uniqueId(group.append("assert", "onEmail returns 1#1")),
                        displayName("Test with Deliver and Reply both failing - onEmail returns 1"),
                        finishedSuccessfully()),
                event(uniqueId(group), finishedSuccessfully()),
                event(uniqueId(simulation), finishedSuccessfully()),
                event(uniqueId(DiscoveryTest.EMAIL_ANCHOR), finishedSuccessfully()));
    }

    @Test
    void shortNamingNamesAssertsByThemselvesAndLongIsTheDefault() throws IOException {
        Path yaml = TestFiles.simulation(dir, "named", new WatTestModule()
                .assertValue("before any group", true, "")
                .group("echo").assertCallEquals("echo returns its input", "echo", "hi", "hi"), "");

        assertThat(testNames(run(yaml))).containsExactly("before any group", "echo - echo returns its input");
        assertThat(testNames(run(yaml, Constants.NAMING_PROPERTY_NAME, "long")))
                .containsExactly("before any group", "echo - echo returns its input");
        assertThat(testNames(run(yaml, Constants.NAMING_PROPERTY_NAME, "short")))
                .containsExactly("before any group", "echo returns its input");
        run(yaml, Constants.NAMING_PROPERTY_NAME, "short").testEvents().finished().stream()
                .map(e -> e.getTestDescriptor().getLegacyReportingName())
                .forEach(legacy -> assertThat(legacy).isIn("before any group", "echo - echo returns its input"));
    }

    private static List<String> testNames(EngineExecutionResults results) {
        return results.testEvents().finished().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }

    @Test
    void theLogLevelAlsoFiltersWasiStdout() throws IOException {
        Path yaml = TestFiles.simulation(dir, "printing", new WatTestModule()
                .printToStdout("written to stdout\n").assertValue("printed", true, ""), "");

        String atWarn = stderrOf(() -> run(yaml, Constants.LOG_PROPERTY_NAME, "warn"));
        String atInfo = stderrOf(() -> run(yaml, Constants.LOG_PROPERTY_NAME, "info"));

        assertThat(atWarn).doesNotContain("written to stdout");
        assertThat(atInfo).contains("test.wasm] INFO written to stdout");
    }

    private static String stderrOf(Runnable body) {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(saved);
        }
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aFailedAssertFailsItsTestWithItsReason() throws IOException {
        Path yaml = TestFiles.write(dir, "no-deliver.simulation.yaml", "plugin: " + TestFiles.NO_DELIVER
                + "\nwith: " + TestFiles.EMAIL_TEST + "\nmock_host: " + TestFiles.MOCK_HOST + "\n");

        EngineExecutionResults results = run(yaml);

        results.testEvents().assertStatistics(s -> s.started(EMAIL_ASSERTS).failed(6).succeeded(EMAIL_ASSERTS - 6));
        results.testEvents().failed().assertEventsMatchLoosely(event(
                test(uniqueIdSubstrings("group:Test with Deliver failing and Reply succeeding#1",
                        "assert:onEmail returns 1#1")),
                finishedWithFailure(instanceOf(AssertionFailedError.class), message("expected return code 1 (deliver"
                        + " fails, so the plugin returns its code and does not reply), got 0"))));
        // a failed assert is not a failed simulation
        results.containerEvents().assertStatistics(s -> s.failed(0));
    }

    @Test
    void groupsAndAssertsPointAtTheWithLineOfTheirFileAndSoDoesTheFailuresStackFrame() throws IOException {
        Path yaml = TestFiles.write(dir, "no-deliver.simulation.yaml", "# the example plugin without deliver\nplugin: "
                + TestFiles.NO_DELIVER + "\nmock_host: " + TestFiles.MOCK_HOST + "\nwith: " + TestFiles.EMAIL_TEST + "\n");
        org.junit.platform.engine.TestSource withLine = org.junit.platform.engine.support.descriptor.FileSource.from(
                yaml.toFile(), org.junit.platform.engine.support.descriptor.FilePosition.from(4, 1));

        EngineExecutionResults results = run(yaml);

        assertThat(results.containerEvents().started().stream()
                .filter(e -> e.getTestDescriptor() instanceof GroupDescriptor).toList())
                .hasSize(TestFiles.EMAIL_GROUPS)
                .allSatisfy(e -> assertThat(e.getTestDescriptor().getSource()).contains(withLine));
        assertThat(results.testEvents().started().stream().toList()).hasSize(EMAIL_ASSERTS)
                .allSatisfy(e -> assertThat(e.getTestDescriptor().getSource()).contains(withLine));
        Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertThat(failure.getStackTrace()).singleElement().satisfies(frame -> {
            assertThat(frame.getFileName()).isEqualTo("no-deliver.simulation.yaml");
            assertThat(frame.getLineNumber()).isEqualTo(4);
        });
    }

    @Test
    void thePluginParameterReplacesEverySimulationsPlugin() {
        EngineExecutionResults results = simulationEngine().selectors(selectFile(EMAIL_YAML))
                .configurationParameter(Constants.PLUGIN_PROPERTY_NAME, "example-plugin/dist/broken/always-reply.wasm")
                .configurationParameter(Constants.PLUGIN_BASEDIR_PROPERTY_NAME, TestFiles.REPO.toString())
                .execute();

        results.testEvents().failed().assertEventsMatchLoosely(
                event(test(uniqueIdSubstrings("group:Test with Deliver succeeding and Reply failing#1",
                        "assert:onEmail returns 0#1"))),
                event(test(uniqueIdSubstrings("group:No Project XYZ, Deliver succeeding and Reply failing#1",
                        "assert:onEmail returns 0#1"))));
        results.testEvents().assertStatistics(s -> s.failed(2));
    }

    @Test
    void anInvalidModuleFailsTheSimulationNamingTheFile() throws IOException {
        Path yaml = TestFiles.simulation(dir, "invalid", new WatTestModule().assertValue("never", true, ""), "");
        Files.write(dir.resolve("plugin.wasm"), "not wasm at all".getBytes());

        EngineExecutionResults results = run(yaml);

        results.containerEvents().assertEventsMatchLoosely(event(container("simulation"), finishedWithFailure(
                instanceOf(SimulationSetupException.class),
                message(dir.resolve("plugin.wasm") + ": not a valid Wasm module: it does not start with \\0asm"))));
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @Test
    void aMissingModuleFailsTheSimulationNamingTheFile() throws IOException {
        Path yaml = TestFiles.write(dir, "missing.simulation.yaml", "plugin: nowhere.wasm\nwith: t.wasm\n");

        run(yaml).containerEvents().assertEventsMatchLoosely(event(container("simulation"),
                finishedWithFailure(message(dir.resolve("nowhere.wasm") + ": no such file"))));
    }

    @Test
    void aNonZeroReturnOfTestFailsTheSimulation() throws IOException {
        Path yaml = TestFiles.simulation(dir, "returns", new WatTestModule().assertValue("fine", true, "").returning(3),
                "");

        EngineExecutionResults results = run(yaml);

        results.testEvents().assertStatistics(s -> s.succeeded(1));
        results.containerEvents().assertEventsMatchLoosely(event(container("simulation"), finishedWithFailure(
                message("test.wasm: test returned 3 (0 means the test module ran to its end)"))));
    }

    @Test
    void aTrapFailsTheSimulationAfterTheAssertsMadeBeforeIt() throws IOException {
        Path yaml = TestFiles.simulation(dir, "trap", new WatTestModule()
                .group("before the trap").assertValue("made", true, "").raw("unreachable"), "");

        EngineExecutionResults results = run(yaml);

        results.testEvents().assertStatistics(s -> s.succeeded(1));
        results.containerEvents().assertEventsMatchLoosely(
                event(container("group:before the trap#1"), finishedSuccessfully()),
                event(container("simulation"),
                        finishedWithFailure(message(m -> m.contains("test.wasm: test trapped")))));
    }

    @Test
    void aTestModuleThatRunsTooLongIsStoppedAndFailsTheSimulation() throws IOException {
        Path yaml = TestFiles.simulation(dir, "slow", new WatTestModule()
                .assertValue("started", true, "").raw("(loop $forever (br $forever))"),
                "limits: {run_timeout: 300ms}\n");

        long start = System.nanoTime();
        EngineExecutionResults results = run(yaml);

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        results.containerEvents().assertEventsMatchLoosely(event(container("simulation"), finishedWithFailure(
                message(m -> m.contains("test.wasm: test did not finish within") && m.contains("(time limit)")))));
    }

    @Test
    void aPluginCallThatRunsTooLongFailsAsTheAssertCallOfItsFunction() throws IOException {
        Path yaml = TestFiles.simulation(dir, "spin", new WatTestModule()
                .group("spinning").call("spin", "").assertCallEquals("echo still works", "echo", "hi", "hi"), "");

        EngineExecutionResults results = run(yaml, Constants.TIMEOUT_PROPERTY_NAME, "300ms");

        results.testEvents().assertEventsMatchLoosely(
                event(test("assert:call spin#1"), displayName("spinning - call spin"), finishedWithFailure(
                        message(m -> m.contains("spin did not finish within") && m.contains("(time limit)")))),
                event(test("assert:echo still works#1"), finishedSuccessfully()));
        results.containerEvents().assertStatistics(s -> s.failed(0));
    }

    @Test
    void theMemoryLimitComesFromTheParameterAndTheFileOverridesIt() throws IOException {
        WatTestModule test = new WatTestModule().call("grow", "").assertValue("after grow", true, "");
        Path small = TestFiles.simulation(dir, "small", test, "");
        Path larger = TestFiles.simulation(dir.resolve("larger"), "larger", test, "limits: {memory: 2MiB}\n");

        EngineExecutionResults limited = run(small, Constants.MEMORY_PROPERTY_NAME, "512KiB");
        EngineExecutionResults overridden = run(larger, Constants.MEMORY_PROPERTY_NAME, "512KiB");

        limited.testEvents().assertEventsMatchLoosely(event(test("assert:call grow#1"), finishedWithFailure()));
        overridden.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void theInterpreterRunsSimulationsToo() throws IOException {
        Path yaml = TestFiles.simulation(dir, "interpreted", new WatTestModule()
                .assertCallEquals("echo", "echo", "hello", "hello"), "");

        run(yaml, Constants.EXECUTION_PROPERTY_NAME, "interpreter").testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void assertsBeforeAnyGroupAreTestsOfTheSimulationAndRepeatedNamesCountOccurrences() throws IOException {
        Path yaml = TestFiles.simulation(dir, "repeats", new WatTestModule()
                .assertValue("first", true, "")
                .group("g").assertValue("same", true, "").assertValue("same", false, "second time")
                .group("g").assertValue("same", true, ""), "");

        EngineExecutionResults results = run(yaml);

        UniqueId simulation = ENGINE.append("simulation", yaml.toString());
        List<UniqueId> tests = results.testEvents().finished().map(Event::getTestDescriptor)
                .map(d -> d.getUniqueId()).toList();
        assertThat(tests).containsExactly(
                simulation.append("assert", "first#1"),
                simulation.append("group", "g#1").append("assert", "same#1"),
                simulation.append("group", "g#1").append("assert", "same#2"),
                simulation.append("group", "g#2").append("assert", "same#1"));
        results.testEvents().failed().assertEventsMatchExactly(event(test("same#2"),
                finishedWithFailure(message("second time"))));
    }

    @Test
    void aFailedAssertWithoutAReasonSaysWhichAssertFailed() throws IOException {
        Path yaml = TestFiles.simulation(dir, "silent", new WatTestModule().assertValue("quiet", false, ""), "");

        run(yaml).testEvents().failed().assertEventsMatchExactly(event(test("quiet#1"),
                finishedWithFailure(message("assert 'quiet' failed (the test module gave no reason)"))));
    }

    @Test
    void timingsArePublishedAsReportEntriesOfTheirGroup() throws IOException {
        Path yaml = TestFiles.simulation(dir, "timed", new WatTestModule()
                .group("speed").assertTimeUnder("echo is fast", "echo", "x", 5_000_000_000L), "");

        EngineExecutionResults results = run(yaml);

        List<Event> entries = results.allEvents().reportingEntryPublished().list();
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.getTestDescriptor().getDisplayName()).isEqualTo("speed");
            Map<String, String> values = e.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class)
                    .getKeyValuePairs();
            assertThat(values).containsEntry("time", "echo").containsKey("nanos");
            assertThat(Long.parseLong(values.get("nanos"))).isPositive();
        });
    }

    @Test
    void mockInputComesFromTheFileAsDataOrAsAFile() throws IOException {
        WatTestModule test = new WatTestModule().assertMockInputEquals("mock input", "{\"to\":\"me\"}");
        Path data = TestFiles.simulation(dir, "data", test, "mock_input: {data: '{\"to\":\"me\"}'}\n");
        Path file = TestFiles.simulation(dir.resolve("file"), "file", test, "mock_input: {file: input.json}\n");
        TestFiles.write(dir.resolve("file"), "input.json", "{\"to\":\"me\"}");
        Path missing = TestFiles.simulation(dir.resolve("missing"), "missing", test, "mock_input: {file: none.json}\n");

        run(data).testEvents().assertStatistics(s -> s.succeeded(1));
        run(file).testEvents().assertStatistics(s -> s.succeeded(1));
        run(missing).containerEvents().assertEventsMatchLoosely(event(container("simulation"),
                finishedWithFailure(
                        message(dir.resolve("missing/none.json") + ": no such file (the mock_input file)"))));
    }

    @Test
    void theTestsOfAnXtpTomlRunAndTheirBuildRunsWhenAskedTo() throws IOException {
        TestFiles.plugin(dir);
        new WatTestModule().assertCallEquals("echo", "echo", "hi", "hi").writeTo(dir, "test.wasm");
        Path toml = TestFiles.write(dir, "xtp.toml", """
                bin = "plugin.wasm"

                [[test]]
                name = "echo test"
                build = "echo built > built.txt"
                with = "test.wasm"
                """);

        EngineExecutionResults withoutBuild = run(toml);
        EngineExecutionResults withBuild = run(toml, Constants.BUILD_PROPERTY_NAME, "true");

        withoutBuild.allEvents().assertEventsMatchLooselyInOrder(
                event(container("xtp-toml:"), started()),
                event(container("test:echo test"), displayName("echo test"), started()),
                event(test(uniqueIdSubstrings("test:echo test", "assert:echo#1")), finishedSuccessfully()));
        assertThat(withBuild.testEvents().succeeded().count()).isEqualTo(1);
        assertThat(dir.resolve("built.txt")).hasContent("built");
    }

    @Test
    void aFailingXtpTomlBuildFailsTheSimulationWithItsOutput() throws IOException {
        TestFiles.plugin(dir);
        Path toml = TestFiles.write(dir, "xtp.toml", """
                bin = "plugin.wasm"

                [[test]]
                name = "broken build"
                build = "echo compiler says no; exit 2"
                with = "test.wasm"
                """);

        run(toml, Constants.BUILD_PROPERTY_NAME, "true").containerEvents().assertEventsMatchLoosely(
                event(container("test:broken build"), finishedWithFailure(
                        message(m -> m.contains("exited with status 2") && m.endsWith("compiler says no")))));
    }

    @Test
    void theEngineReportsNothingButItselfWhenNothingIsSelected() {
        simulationEngine().selectors(selectClass(ExecutionTest.class)).execute().allEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void aSeedInTheFileOrTheConfigurationMakesWasiRandomBytesAndTimeRepeatable() throws IOException {
        String expected = EntropyPlugin.entropy(WasiSources.seeded(7));
        Files.write(dir.resolve("entropy.wasm"), EntropyPlugin.wasm());
        new WatTestModule().assertCallEquals("as with seed 7", "entropy", "", expected).writeTo(dir, "entropy-test.wasm");
        Path inFile = TestFiles.write(dir, "seeded.simulation.yaml", "plugin: entropy.wasm\nwith: entropy-test.wasm\nseed: 7\n");
        Path plain = TestFiles.write(dir, "plain.simulation.yaml", "plugin: entropy.wasm\nwith: entropy-test.wasm\n");

        run(inFile).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        run(plain, Constants.SEED_PROPERTY_NAME, "7").testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        run(plain).testEvents().assertStatistics(s -> s.started(1).failed(1));
    }
}

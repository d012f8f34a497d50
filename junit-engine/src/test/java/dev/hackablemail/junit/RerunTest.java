package dev.hackablemail.junit;

import dev.hackablemail.runner.sim.WatTestModule;

import static dev.hackablemail.junit.TestFiles.simulationEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.started;
import static org.junit.platform.testkit.engine.EventConditions.uniqueId;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Reruns by unique id, as an IDE or Surefire's {@code rerunFailingTestsCount} sends them: the
 * whole simulation runs, only the selected asserts and groups (and their parents) are reported.
 */
class RerunTest {

    static final UniqueId SIMULATION = DiscoveryTest.EMAIL_UNDER_ANCHOR;
    static final UniqueId BOTH_FAILING = SIMULATION.append("group", "Test with Deliver and Reply both failing#1");
    static final UniqueId TWICE = SIMULATION.append("group", "Calling onEmail twice on one instance, Reply failing#1");

    @TempDir
    Path dir;

    private static EngineExecutionResults rerun(UniqueId... ids) {
        var kit = simulationEngine();
        for (UniqueId id : ids) {
            kit.selectors(selectUniqueId(id));
        }
        return kit.execute();
    }

    private static List<UniqueId> reported(EngineExecutionResults results, EventType type) {
        return results.allEvents().stream().filter(e -> e.getType() == type).map(Event::getTestDescriptor)
                .map(TestDescriptor::getUniqueId).toList();
    }

    @Test
    void oneAssertRunsTheSimulationAndReportsOnlyItAndItsParents() {
        UniqueId test = BOTH_FAILING.append("assert", "onEmail returns 1#1");

        EngineExecutionResults results = rerun(test);

        assertThat(reported(results, EventType.STARTED)).containsExactly(
                UniqueId.forEngine(Constants.ENGINE_ID), DiscoveryTest.EMAIL_ANCHOR, SIMULATION, BOTH_FAILING, test);
        assertThat(reported(results, EventType.DYNAMIC_TEST_REGISTERED)).isEmpty();
        results.allEvents().assertEventsMatchLooselyInOrder(
                event(uniqueId(test), finishedSuccessfully()),
                event(uniqueId(BOTH_FAILING), finishedSuccessfully()),
                event(uniqueId(SIMULATION), finishedSuccessfully()));
    }

    @Test
    void aFailingAssertFailsAgainWithItsReason() {
        UniqueId test = SIMULATION.append("group", "Test with Deliver failing and Reply succeeding#1")
                .append("assert", "onEmail returns 1#1");

        EngineExecutionResults results = simulationEngine().selectors(selectUniqueId(test))
                .configurationParameter(Constants.PLUGIN_PROPERTY_NAME, TestFiles.NO_DELIVER.toString()).execute();

        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        results.testEvents().assertEventsMatchLoosely(event(uniqueId(test), finishedWithFailure(message(
                "expected return code 1 (deliver fails, so the plugin returns its code and does not reply), got 0"))));
    }

    @Test
    void aRepeatedAssertNameIsRerunByItsOccurrence() {
        UniqueId second = TWICE.append("assert", "2nd call: onEmail returns 1#1");
        UniqueId firstOutput = TWICE.append("assert", "1st call: onEmail returns output#1");

        assertThat(reported(rerun(second, firstOutput), EventType.FINISHED))
                .containsSubsequence(firstOutput, second, TWICE, SIMULATION);
    }

    @Test
    void aGroupReportsAllItsAssertsAndNoOtherGroup() {
        EngineExecutionResults results = rerun(BOTH_FAILING);

        results.testEvents().assertStatistics(s -> s.dynamicallyRegistered(3).started(3).succeeded(3));
        assertThat(results.containerEvents().started().map(Event::getTestDescriptor).map(TestDescriptor::getUniqueId))
                .containsExactly(UniqueId.forEngine(Constants.ENGINE_ID), DiscoveryTest.EMAIL_ANCHOR, SIMULATION,
                        BOTH_FAILING);
    }

    @Test
    void theSimulationSelectedWithOneOfItsAssertsReportsEverythingOnce() {
        UniqueId test = BOTH_FAILING.append("assert", "onEmail returns 1#1");

        EngineExecutionResults results = rerun(test, SIMULATION);

        results.testEvents().assertStatistics(s -> s.started(TestFiles.EMAIL_ASSERTS)
                .dynamicallyRegistered(TestFiles.EMAIL_ASSERTS - 1));
    }

    @Test
    void anAssertOrGroupTheRunDoesNotMakeFails() throws IOException {
        Path yaml = TestFiles.simulation(dir, "small", new WatTestModule().group("g").assertValue("a", true, ""), "");
        UniqueId simulation = UniqueId.forEngine(Constants.ENGINE_ID).append("simulation", yaml.toString());
        UniqueId renamed = simulation.append("group", "g#1").append("assert", "b#1");
        UniqueId third = simulation.append("group", "g#3");

        EngineExecutionResults results = rerun(renamed, third);

        results.allEvents().assertEventsMatchLooselyInOrder(
                event(uniqueId(renamed), started()),
                event(uniqueId(renamed), finishedWithFailure(message("this run made no assert 'b' #1 in group 'g'"))),
                event(uniqueId(third), finishedWithFailure(message("this run made no group 'g' #3"))),
                event(uniqueId(simulation), finishedSuccessfully()));
    }
}

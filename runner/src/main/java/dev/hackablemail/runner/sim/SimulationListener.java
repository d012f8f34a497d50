package dev.hackablemail.runner.sim;

import java.util.List;

/**
 * Receives a simulation's results as they happen. Reporters (console, JSON, JUnit XML,
 * the JUnit Platform engine) are listeners; none of them re-runs anything.
 */
public interface SimulationListener {

    default void simulationStarted(SimulationSpec spec) {}

    /** A {@code group} call: the assertions that follow belong to {@code name}. */
    default void groupStarted(String name) {}

    default void assertion(AssertionResult result) {}

    /** A {@code time} call measured {@code nanos} for one call of {@code function}. */
    default void callTimed(String group, String function, long nanos) {}

    default void simulationFinished(SimulationResult result) {}

    /** One listener that forwards every event to each of {@code listeners}, in order. */
    static SimulationListener all(List<? extends SimulationListener> listeners) {
        List<SimulationListener> copy = List.copyOf(listeners);
        return new SimulationListener() {
            @Override
            public void simulationStarted(SimulationSpec spec) {
                copy.forEach(l -> l.simulationStarted(spec));
            }

            @Override
            public void groupStarted(String name) {
                copy.forEach(l -> l.groupStarted(name));
            }

            @Override
            public void assertion(AssertionResult result) {
                copy.forEach(l -> l.assertion(result));
            }

            @Override
            public void callTimed(String group, String function, long nanos) {
                copy.forEach(l -> l.callTimed(group, function, nanos));
            }

            @Override
            public void simulationFinished(SimulationResult result) {
                copy.forEach(l -> l.simulationFinished(result));
            }
        };
    }
}

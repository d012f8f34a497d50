package dev.hackablemail.runner.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A listener that keeps what happened, group by group, for reports written at the end
 * (JSON, JUnit XML). Asserts made before any group land in a group whose name is null.
 */
public final class SimulationRecord implements SimulationListener {

    /** One timing measured with {@code time}. */
    public record Timing(String function, long nanos) {}

    /** One group, in run order. A group named twice appears twice. */
    public static final class Group {
        private final String name;
        private final List<AssertionResult> asserts = new ArrayList<>();
        private final List<Timing> timings = new ArrayList<>();

        Group(String name) {
            this.name = name;
        }

        /** The group's name; null for asserts made before the first group. */
        public String name() {
            return name;
        }

        public List<AssertionResult> asserts() {
            return Collections.unmodifiableList(asserts);
        }

        public List<Timing> timings() {
            return Collections.unmodifiableList(timings);
        }

        public long failed() {
            return asserts.stream().filter(a -> !a.passed()).count();
        }

        @Override
        public String toString() {
            return "group " + name + ": " + asserts + " " + timings;
        }
    }

    private SimulationSpec spec;
    private final List<Group> groups = new ArrayList<>();
    private SimulationResult result;

    @Override
    public void simulationStarted(SimulationSpec started) {
        this.spec = started;
    }

    @Override
    public void groupStarted(String name) {
        groups.add(new Group(name));
    }

    @Override
    public void assertion(AssertionResult assertion) {
        current().asserts.add(assertion);
    }

    @Override
    public void callTimed(String group, String function, long nanos) {
        current().timings.add(new Timing(function, nanos));
    }

    @Override
    public void simulationFinished(SimulationResult finished) {
        this.result = finished;
    }

    private Group current() {
        if (groups.isEmpty()) {
            groups.add(new Group(null));
        }
        return groups.get(groups.size() - 1);
    }

    public SimulationSpec spec() {
        return spec;
    }

    public List<Group> groups() {
        return Collections.unmodifiableList(groups);
    }

    /** The result; null until the simulation finished. */
    public SimulationResult result() {
        return result;
    }
}

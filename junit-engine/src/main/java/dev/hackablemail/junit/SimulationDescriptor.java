package dev.hackablemail.junit;

import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;

/** One simulation: a container of the groups and asserts its run reports. */
final class SimulationDescriptor extends OpenContainerDescriptor {

    /** The segment of a {@code *.simulation.yaml} file; its value is a {@link Location} id. */
    static final String SEGMENT_TYPE = "simulation";

    /** The segment of one {@code [[test]]} of an {@code xtp.toml}; its value is the test's name. */
    static final String TOML_TEST_SEGMENT_TYPE = "test";

    private final Location location;
    private final SimulationDefinition definition;

    SimulationDescriptor(UniqueId uniqueId, Location location, SimulationDefinition definition) {
        super(uniqueId, definition.name(), location.source());
        this.location = location;
        this.definition = definition;
    }

    Location location() {
        return location;
    }

    SimulationDefinition definition() {
        return definition;
    }

    /**
     * Where the groups and asserts of the run come from, for an IDE to go to: the file at the
     * line of its {@code with:} entry (the test module that makes them).
     */
    TestSource withSource() {
        return location.source(definition.withLine(), 1);
    }
}

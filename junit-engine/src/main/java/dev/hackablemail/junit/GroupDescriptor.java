package dev.hackablemail.junit;

import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;

/** A {@code group} of a simulation run; the segment value is its name and occurrence. */
final class GroupDescriptor extends OpenContainerDescriptor {

    static final String SEGMENT_TYPE = "group";

    GroupDescriptor(UniqueId uniqueId, String name, TestSource source) {
        super(uniqueId, name, source);
    }
}

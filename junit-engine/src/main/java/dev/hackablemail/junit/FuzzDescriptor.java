package dev.hackablemail.junit;

import org.junit.platform.engine.UniqueId;

/** The {@code fuzz:} section of a simulation: a container of one test per property. */
final class FuzzDescriptor extends OpenContainerDescriptor {

    /** Its value is the fuzzed export's name. */
    static final String SEGMENT_TYPE = "fuzz";

    FuzzDescriptor(UniqueId uniqueId, String export) {
        super(uniqueId, "fuzz " + export, null);
    }
}

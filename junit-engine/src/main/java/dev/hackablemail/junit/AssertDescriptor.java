package dev.hackablemail.junit;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/** One {@code assert} of a simulation run: a test. The segment value is its name and occurrence. */
final class AssertDescriptor extends AbstractTestDescriptor {

    static final String SEGMENT_TYPE = "assert";

    AssertDescriptor(UniqueId uniqueId, String name) {
        super(uniqueId, name);
    }

    /**
     * The group's name and the assert's, for reports that list tests flat (Surefire's XML and
     * console): most xtp-test modules repeat assert names from group to group.
     */
    @Override
    public String getLegacyReportingName() {
        return getParent().filter(GroupDescriptor.class::isInstance)
                .map(group -> group.getDisplayName() + ": " + getDisplayName())
                .orElse(getDisplayName());
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }
}

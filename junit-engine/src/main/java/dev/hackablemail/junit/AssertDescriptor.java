package dev.hackablemail.junit;

import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/**
 * One {@code assert} of a simulation run: a test. The segment value is its name and
 * occurrence; the display name follows {@link AssertNaming}.
 */
final class AssertDescriptor extends AbstractTestDescriptor {

    static final String SEGMENT_TYPE = "assert";

    private final String legacyName;

    /**
     * @param group the group the assert was made in; null before any group
     * @param name the assert's own name
     * @param source where the IDE goes for it (the simulation file at its {@code with:} line)
     */
    AssertDescriptor(UniqueId uniqueId, String group, String name, AssertNaming naming, TestSource source) {
        super(uniqueId, naming.displayName(group, name), source);
        this.legacyName = AssertNaming.LONG.displayName(group, name);
    }

    /**
     * The group's name and the assert's whatever the naming, for reports that list tests flat
     * and read this name (Surefire reads the display name instead).
     */
    @Override
    public String getLegacyReportingName() {
        return legacyName;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }
}

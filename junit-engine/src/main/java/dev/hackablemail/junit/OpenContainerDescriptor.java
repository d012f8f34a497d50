package dev.hackablemail.junit;

import java.util.Optional;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/**
 * A container whose children appear while a simulation runs: a simulation or a group.
 *
 * <p>Selected as a whole (by a file, a class, its own unique id), it reports every child the
 * run makes. Selected only through a child's unique id (a rerun of one assert), it reports
 * only the children discovery put under it, and their parents.
 */
abstract class OpenContainerDescriptor extends AbstractTestDescriptor {

    private boolean runsAll;

    OpenContainerDescriptor(UniqueId uniqueId, String displayName, TestSource source) {
        super(uniqueId, displayName, source);
    }

    @Override
    public final Type getType() {
        return Type.CONTAINER;
    }

    @Override
    public final boolean mayRegisterTests() {
        return true;
    }

    /** Reports every child the run makes, not only those selected. */
    final void runAll() {
        runsAll = true;
    }

    final boolean runsAll() {
        return runsAll;
    }

    /** The direct child with {@code id}, if discovery or the run put one here. */
    final Optional<TestDescriptor> child(UniqueId id) {
        synchronized (children) {
            return children.stream().filter(c -> c.getUniqueId().equals(id)).findFirst()
                    .map(TestDescriptor.class::cast);
        }
    }

    /** A segment value naming the {@code occurrence}-th (from 1) event named {@code name}. */
    static String occurrence(String name, int occurrence) {
        return name + "#" + occurrence;
    }

    /** The name of a segment value made by {@link #occurrence}; empty if it is not one. */
    static Optional<String> nameOfOccurrence(String value) {
        int hash = value.lastIndexOf('#');
        if (hash < 0) {
            return Optional.empty();
        }
        String number = value.substring(hash + 1);
        if (number.isEmpty() || number.length() > 9 || !number.chars().allMatch(Character::isDigit)
                || Integer.parseInt(number) < 1) {
            return Optional.empty();
        }
        return Optional.of(value.substring(0, hash));
    }
}

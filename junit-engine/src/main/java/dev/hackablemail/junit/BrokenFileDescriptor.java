package dev.hackablemail.junit;

import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/**
 * A simulation file that cannot run (an unknown key, a bad value...): a test that fails with
 * what is wrong, so that the files beside it still run and the build still fails. Discovery
 * reports the same problems as warnings.
 */
final class BrokenFileDescriptor extends AbstractTestDescriptor {

    private final Location location;
    private final String problems;

    BrokenFileDescriptor(UniqueId uniqueId, Location location, String problems, TestSource source) {
        super(uniqueId, location.fileName(), source);
        this.location = location;
        this.problems = problems;
    }

    Location location() {
        return location;
    }

    /** What is wrong, one problem a line, each with the file, line and column. */
    String problems() {
        return problems;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }
}

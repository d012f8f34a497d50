package dev.hackablemail.junit;

import dev.hackablemail.runner.project.XtpToml;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/** An {@code xtp.toml} file: the container of its {@code [[test]]} simulations. */
final class ProjectDescriptor extends AbstractTestDescriptor {

    /** Its value is a {@link Location} id. */
    static final String SEGMENT_TYPE = "xtp-toml";

    private final Location location;
    private final XtpToml project;

    ProjectDescriptor(UniqueId uniqueId, Location location, XtpToml project) {
        super(uniqueId, location.id(), location.source());
        this.location = location;
        this.project = project;
    }

    Location location() {
        return location;
    }

    XtpToml project() {
        return project;
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }
}

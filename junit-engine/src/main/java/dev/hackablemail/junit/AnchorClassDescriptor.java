package dev.hackablemail.junit;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;

/**
 * A class annotated with {@link Simulations}: the container of the simulations it names. It
 * declares that it may register tests even when it has no simulation (all of them broken),
 * so that a tool selecting classes keeps it and the discovery problems get reported.
 */
final class AnchorClassDescriptor extends AbstractTestDescriptor {

    static final String SEGMENT_TYPE = "class";

    private final Class<?> anchor;

    AnchorClassDescriptor(UniqueId uniqueId, Class<?> anchor) {
        super(uniqueId, anchor.getSimpleName(), ClassSource.from(anchor));
        this.anchor = anchor;
    }

    Class<?> anchor() {
        return anchor;
    }

    @Override
    public String getLegacyReportingName() {
        return anchor.getName();
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }

    @Override
    public boolean mayRegisterTests() {
        return true;
    }
}

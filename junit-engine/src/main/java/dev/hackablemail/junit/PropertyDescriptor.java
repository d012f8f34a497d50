package dev.hackablemail.junit;

import dev.hackablemail.runner.fuzz.Property;
import java.util.Arrays;
import java.util.Optional;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/** One property the fuzzed export must hold (e.g. "no trap or error"): a test. */
final class PropertyDescriptor extends AbstractTestDescriptor {

    /** Its value is the property's id, e.g. {@code no-trap-or-error}. */
    static final String SEGMENT_TYPE = "property";

    PropertyDescriptor(UniqueId uniqueId, Property property) {
        super(uniqueId, property.title());
    }

    static Optional<Property> property(String id) {
        return Arrays.stream(Property.values()).filter(p -> p.id().equals(id)).findFirst();
    }

    /** "fuzz onEmail: no trap or error", for reports that list tests flat. */
    @Override
    public String getLegacyReportingName() {
        return getParent().map(fuzz -> fuzz.getDisplayName() + ": " + getDisplayName()).orElse(getDisplayName());
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }
}

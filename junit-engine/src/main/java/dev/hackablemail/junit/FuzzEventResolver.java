package dev.hackablemail.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.engine.support.discovery.SelectorResolver.Resolution.unresolved;

import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Resolves the unique id of a simulation's fuzz container or of one of its properties (sent by
 * an IDE or a rerun) to a descriptor made ahead of the run, as {@link RunEventResolver} does for
 * groups and asserts.
 */
final class FuzzEventResolver implements SelectorResolver {

    @Override
    public Resolution resolve(UniqueIdSelector selector, Context context) {
        UniqueId id = selector.getUniqueId();
        UniqueId.Segment last = id.getLastSegment();
        boolean container = last.getType().equals(FuzzDescriptor.SEGMENT_TYPE);
        if (!container && !last.getType().equals(PropertyDescriptor.SEGMENT_TYPE)) {
            return unresolved();
        }
        return context.addToParent(() -> selectUniqueId(id.removeLastSegment()), parent -> {
                    UniqueId childId = parent.getUniqueId().append(last);
                    if (container && parent instanceof SimulationDescriptor simulation
                            && simulation.definition().fuzz() != null
                            && simulation.definition().fuzz().export().equals(last.getValue())) {
                        return Optional.<TestDescriptor>of(new FuzzDescriptor(childId, last.getValue()));
                    }
                    if (!container && parent instanceof FuzzDescriptor) {
                        return PropertyDescriptor.property(last.getValue())
                                .map(property -> new PropertyDescriptor(childId, property));
                    }
                    return Optional.empty();
                })
                .map(descriptor -> Resolution.match(Match.exact(descriptor, () -> {
                    if (descriptor instanceof OpenContainerDescriptor open) {
                        open.runAll();
                    }
                    return Set.of();
                })))
                .orElse(unresolved());
    }
}

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
 * Resolves the unique id of a group or an assert, which exist only while a simulation runs
 * (an IDE or Surefire's {@code rerunFailingTestsCount} sends them), to a descriptor under its
 * simulation made ahead of the run. The simulation then runs whole but reports only the
 * descriptors selected this way (and their parents).
 */
final class RunEventResolver implements SelectorResolver {

    private final AssertNaming naming;

    RunEventResolver(AssertNaming naming) {
        this.naming = naming;
    }

    @Override
    public Resolution resolve(UniqueIdSelector selector, Context context) {
        UniqueId id = selector.getUniqueId();
        UniqueId.Segment last = id.getLastSegment();
        boolean group = last.getType().equals(GroupDescriptor.SEGMENT_TYPE);
        if (!group && !last.getType().equals(AssertDescriptor.SEGMENT_TYPE)) {
            return unresolved();
        }
        Optional<String> name = OpenContainerDescriptor.nameOfOccurrence(last.getValue());
        if (name.isEmpty()) {
            return unresolved();
        }
        return context.addToParent(() -> selectUniqueId(id.removeLastSegment()), parent -> {
                    UniqueId childId = parent.getUniqueId().append(last);
                    if (group && parent instanceof SimulationDescriptor) {
                        return Optional.<TestDescriptor>of(new GroupDescriptor(childId, name.get(),
                                ((SimulationDescriptor) parent).withSource()));
                    }
                    if (!group && parent instanceof OpenContainerDescriptor) {
                        String groupName = parent instanceof GroupDescriptor ? parent.getDisplayName() : null;
                        return Optional.<TestDescriptor>of(new AssertDescriptor(childId, groupName, name.get(), naming,
                                parent instanceof SimulationDescriptor s ? s.withSource() : parent.getSource().orElse(null)));
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

package dev.hackablemail.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.engine.support.discovery.SelectorResolver.Resolution.unresolved;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Resolves a class annotated with {@link Simulations} (by class or by unique id) to a
 * container with a {@code ClassSource}, whose children are the simulations it names.
 */
final class AnchorClassResolver implements SelectorResolver {

    private final SimulationFiles files;

    AnchorClassResolver(SimulationFiles files) {
        this.files = files;
    }

    @Override
    public Resolution resolve(ClassSelector selector, Context context) {
        return resolve(selector.getJavaClass(), context);
    }

    @Override
    public Resolution resolve(UniqueIdSelector selector, Context context) {
        UniqueId.Segment last = selector.getUniqueId().getLastSegment();
        if (!last.getType().equals(AnchorClassDescriptor.SEGMENT_TYPE)) {
            return unresolved();
        }
        return ReflectionSupport.tryToLoadClass(last.getValue()).toOptional()
                .map(anchor -> resolve(anchor, context))
                .orElse(unresolved());
    }

    private Resolution resolve(Class<?> anchor, Context context) {
        if (!SimulationFiles.isAnchor(anchor)) {
            return unresolved();
        }
        return context.addToParent(parent -> Optional.of(new AnchorClassDescriptor(
                        parent.getUniqueId().append(AnchorClassDescriptor.SEGMENT_TYPE, anchor.getName()), anchor)))
                .map(descriptor -> Resolution.match(Match.exact(descriptor, () -> simulations(descriptor))))
                .orElse(unresolved());
    }

    private Set<DiscoverySelector> simulations(AnchorClassDescriptor descriptor) {
        Set<DiscoverySelector> selectors = new LinkedHashSet<>();
        for (Location location : files.anchored(descriptor.anchor())) {
            boolean project = SimulationFiles.isProjectFile(location.fileName());
            // A broken file is reported once, by the files; a selector for it would add a second
            // issue, "could not be resolved".
            boolean readable = project ? files.project(location).isPresent()
                    : files.simulation(location).isPresent();
            if (readable) {
                String type = project ? ProjectDescriptor.SEGMENT_TYPE : SimulationDescriptor.SEGMENT_TYPE;
                selectors.add(selectUniqueId(descriptor.getUniqueId().append(type, location.id())));
            }
        }
        return selectors;
    }
}

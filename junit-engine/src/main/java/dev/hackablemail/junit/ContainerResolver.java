package dev.hackablemail.junit;

import static org.junit.platform.engine.support.discovery.SelectorResolver.Resolution.unresolved;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.platform.commons.io.Resource;
import org.junit.platform.commons.io.ResourceFilter;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.commons.support.ResourceSupport;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.ClasspathRootSelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.discovery.PackageSelector;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Resolves a classpath root or a package to the {@link Simulations} classes and the
 * {@code *.simulation.yaml} resources in it, both at once (the first resolver that resolves
 * a selector is the only one asked, so classes and resources cannot come from two).
 */
final class ContainerResolver implements SelectorResolver {

    private final Predicate<String> classNameFilter;
    private final ResourceFilter resourceFilter;

    ContainerResolver(Predicate<String> classNameFilter, Predicate<String> packageFilter) {
        this.classNameFilter = classNameFilter;
        this.resourceFilter = ResourceFilter.of(resource -> isSimulation(resource)
                && packageFilter.test(packageName(resource.getName())));
    }

    @Override
    public Resolution resolve(ClasspathRootSelector selector, Context context) {
        return selectors(
                ReflectionSupport.findAllClassesInClasspathRoot(selector.getClasspathRoot(), SimulationFiles::isAnchor,
                        classNameFilter),
                ResourceSupport.findAllResourcesInClasspathRoot(selector.getClasspathRoot(), resourceFilter));
    }

    @Override
    public Resolution resolve(PackageSelector selector, Context context) {
        return selectors(
                ReflectionSupport.findAllClassesInPackage(selector.getPackageName(), SimulationFiles::isAnchor,
                        classNameFilter),
                ResourceSupport.findAllResourcesInPackage(selector.getPackageName(), resourceFilter));
    }

    private static Resolution selectors(List<Class<?>> classes, List<Resource> resources) {
        Set<DiscoverySelector> selectors = new LinkedHashSet<>();
        classes.forEach(c -> selectors.add(DiscoverySelectors.selectClass(c)));
        resources.forEach(r -> selectors.add(DiscoverySelectors.selectClasspathResource(r.getName())));
        return selectors.isEmpty() ? unresolved() : Resolution.selectors(selectors);
    }

    private static boolean isSimulation(Resource resource) {
        String name = resource.getName();
        return SimulationFiles.isSimulationFile(name.substring(name.lastIndexOf('/') + 1));
    }

    private static String packageName(String resourceName) {
        int slash = resourceName.lastIndexOf('/');
        return slash < 0 ? "" : resourceName.substring(0, slash).replace('/', '.');
    }
}

package dev.hackablemail.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.engine.support.discovery.SelectorResolver.Resolution.unresolved;

import dev.hackablemail.runner.project.XtpToml;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.platform.commons.PreconditionViolationException;
import org.junit.platform.commons.io.Resource;
import org.junit.platform.engine.DiscoveryIssue.Severity;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClasspathResourceSelector;
import org.junit.platform.engine.discovery.DirectorySelector;
import org.junit.platform.engine.discovery.FileSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Resolves simulation files, selected as files, folders, classpath resources or by unique
 * id, to simulation containers (and an {@code xtp.toml} to a container of its tests).
 */
final class FileResolver implements SelectorResolver {

    private final SimulationFiles files;

    FileResolver(SimulationFiles files) {
        this.files = files;
    }

    @Override
    public Resolution resolve(FileSelector selector, Context context) {
        Path file = selector.getPath();
        if (!isSimulationOrProject(file.getFileName().toString())) {
            return unresolved();
        }
        return descriptor(Location.ofFile(file, files.baseDir()), context, null);
    }

    @Override
    public Resolution resolve(DirectorySelector selector, Context context) {
        List<Path> found = SimulationFiles.walk(selector.getPath());
        if (found.isEmpty()) {
            return unresolved();
        }
        Set<DiscoverySelector> selectors = new LinkedHashSet<>();
        found.forEach(f -> selectors.add(selectFile(f.toFile())));
        return Resolution.selectors(selectors);
    }

    @Override
    public Resolution resolve(ClasspathResourceSelector selector, Context context) {
        String name = selector.getClasspathResourceName();
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        if (!isSimulationOrProject(fileName)) {
            return unresolved();
        }
        Set<Resource> resources;
        try {
            resources = selector.getResources();
        } catch (PreconditionViolationException e) {
            return unresolved();
        }
        // The first copy on the classpath wins, as it does for a class loader.
        Optional<Resource> first = resources.stream().findFirst();
        if (first.isEmpty()) {
            return unresolved();
        }
        Optional<Location> location = Location.ofResource(name, first.get().getUri());
        if (location.isEmpty()) {
            files.report(Severity.WARNING, first.get().getUri() + ": simulation files must be plain files"
                    + " (the modules they name are relative to them); this one is skipped",
                    ClasspathResourceSource.from(name));
            return unresolved();
        }
        return descriptor(location.get(), context, null);
    }

    @Override
    public Resolution resolve(UniqueIdSelector selector, Context context) {
        UniqueId id = selector.getUniqueId();
        UniqueId.Segment last = id.getLastSegment();
        return switch (last.getType()) {
            case SimulationDescriptor.SEGMENT_TYPE, ProjectDescriptor.SEGMENT_TYPE -> Location
                    .parse(last.getValue(), files.baseDir())
                    .filter(location -> matchesType(location, last.getType()))
                    .map(location -> descriptor(location, context, id))
                    .orElse(unresolved());
            case SimulationDescriptor.TOML_TEST_SEGMENT_TYPE -> context
                    .addToParent(() -> selectUniqueId(id.removeLastSegment()), parent -> tomlTest(parent, last))
                    .map(FileResolver::whole)
                    .orElse(unresolved());
            default -> unresolved();
        };
    }

    private static boolean matchesType(Location location, String type) {
        return SimulationFiles.isProjectFile(location.fileName()) == type.equals(ProjectDescriptor.SEGMENT_TYPE);
    }

    /**
     * The container of the file at {@code location}: under the context's parent, or (for a
     * unique id) under the container its id names.
     */
    private Resolution descriptor(Location location, Context context, UniqueId id) {
        boolean project = SimulationFiles.isProjectFile(location.fileName());
        Function<TestDescriptor, Optional<TestDescriptor>> creator = parent -> {
            if (!(parent instanceof EngineDescriptor) && !(parent instanceof AnchorClassDescriptor)) {
                return Optional.empty();
            }
            if (project) {
                return files.project(location).map(p -> new ProjectDescriptor(
                        parent.getUniqueId().append(ProjectDescriptor.SEGMENT_TYPE, location.id()), location, p));
            }
            UniqueId fileId = parent.getUniqueId().append(SimulationDescriptor.SEGMENT_TYPE, location.id());
            return files.simulation(location)
                    .<TestDescriptor>map(definition -> new SimulationDescriptor(fileId, location, definition))
                    .or(() -> files.broken(location).map(broken -> new BrokenFileDescriptor(fileId, location,
                            broken.problems(), broken.source())));
        };
        Optional<TestDescriptor> descriptor = id == null ? context.addToParent(creator)
                : context.addToParent(() -> selectUniqueId(id.removeLastSegment()), creator);
        return descriptor.map(FileResolver::whole).orElse(unresolved());
    }

    /** An exact match that, when selected itself, runs all of it. */
    private static Resolution whole(TestDescriptor descriptor) {
        return Resolution.match(Match.exact(descriptor, () -> {
            if (descriptor instanceof OpenContainerDescriptor open) {
                open.runAll();
            }
            if (descriptor instanceof ProjectDescriptor project) {
                return tests(project);
            }
            return Set.of();
        }));
    }

    private static Set<DiscoverySelector> tests(ProjectDescriptor project) {
        Set<DiscoverySelector> selectors = new LinkedHashSet<>();
        for (XtpToml.TestEntry entry : project.project().tests()) {
            selectors.add(selectUniqueId(
                    project.getUniqueId().append(SimulationDescriptor.TOML_TEST_SEGMENT_TYPE, entry.name())));
        }
        return selectors;
    }

    private static Optional<TestDescriptor> tomlTest(TestDescriptor parent, UniqueId.Segment segment) {
        if (!(parent instanceof ProjectDescriptor project)) {
            return Optional.empty();
        }
        return SimulationFiles.test(project.project(), segment.getValue()).map(definition -> new SimulationDescriptor(
                project.getUniqueId().append(segment), project.location(), definition));
    }

    private static boolean isSimulationOrProject(String fileName) {
        return SimulationFiles.isSimulationFile(fileName) || SimulationFiles.isProjectFile(fileName);
    }
}

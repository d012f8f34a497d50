package dev.hackablemail.junit;

import static org.junit.platform.engine.DiscoveryIssue.Severity.ERROR;
import static org.junit.platform.engine.DiscoveryIssue.Severity.WARNING;

import dev.hackablemail.runner.project.XtpToml;
import dev.hackablemail.runner.project.XtpTomlException;
import dev.hackablemail.schema.xtp.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoveryIssue.Severity;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;

/**
 * The simulation files of one discovery: reads each file once, turns what is wrong with it
 * into {@link DiscoveryIssue}s (never exceptions) with the file as source, and finds the
 * files an anchor class or a folder names.
 */
final class SimulationFiles {

    static final String XTP_TOML = "xtp.toml";

    private final Path baseDir;
    private final EngineConfiguration configuration;
    private final DiscoveryIssueReporter issues;
    private final Map<Path, Optional<SimulationDefinition>> simulations = new HashMap<>();
    private final Map<Path, Broken> broken = new HashMap<>();

    /** What is wrong with a simulation file that cannot run, and where the first problem is. */
    record Broken(String problems, TestSource source) {}
    private final Map<Path, Optional<XtpToml>> projects = new HashMap<>();

    SimulationFiles(Path baseDir, EngineConfiguration configuration, DiscoveryIssueReporter issues) {
        this.baseDir = baseDir;
        this.configuration = configuration;
        this.issues = issues;
    }

    Path baseDir() {
        return baseDir;
    }

    static boolean isSimulationFile(String fileName) {
        return SimulationYaml.isSimulationFile(fileName);
    }

    static boolean isProjectFile(String fileName) {
        return fileName.equals(XTP_TOML);
    }

    static boolean isAnchor(Class<?> candidate) {
        return AnnotationSupport.isAnnotated(candidate, Simulations.class);
    }

    /**
     * The simulation a {@code *.simulation.yaml} file describes; empty if it is broken. Its
     * problems are reported as warnings and kept ({@link #broken}): the file becomes a test
     * that fails with them, so that one broken file does not keep the others from running.
     */
    Optional<SimulationDefinition> simulation(Location location) {
        return simulations.computeIfAbsent(location.file(), file -> {
            SimulationYaml.Result result = SimulationYaml.parse(file);
            // a file that is not there (a stale unique id) has nothing to run: an error, as before
            boolean exists = Files.isRegularFile(file);
            List<String> problems = new ArrayList<>();
            TestSource first = null;
            for (Problem problem : result.problems()) {
                TestSource source = problem.location() == null ? location.source()
                        : location.source(problem.location().line(), problem.location().column());
                report(exists ? WARNING : ERROR, problem.toString(), source);
                problems.add(problem.toString());
                first = first == null ? source : first;
            }
            SimulationDefinition definition = result.definition();
            if (definition != null && definition.plugin() == null && configuration.plugin().isEmpty()) {
                String problem = file + ": no 'plugin', and the configuration parameter "
                        + Constants.PLUGIN_PROPERTY_NAME + " names none either";
                report(WARNING, problem, location.source());
                problems.add(problem);
                definition = null;
            }
            if (definition == null && exists) {
                broken.put(file, new Broken(String.join("\n", problems), first != null ? first : location.source()));
            }
            return Optional.ofNullable(definition);
        });
    }

    /** What is wrong with the file at {@code location}, if {@link #simulation} found it broken. */
    Optional<Broken> broken(Location location) {
        return Optional.ofNullable(broken.get(location.file()));
    }

    /** The {@code xtp.toml} at {@code location}; empty (and reported) if it is broken. */
    Optional<XtpToml> project(Location location) {
        return projects.computeIfAbsent(location.file(), file -> {
            XtpToml project;
            try {
                project = XtpToml.load(file);
            } catch (XtpTomlException e) {
                report(ERROR, e.getMessage(), location.source());
                return Optional.empty();
            }
            if (project.plugin().isEmpty() && configuration.plugin().isEmpty()) {
                report(ERROR, file + ": no 'bin' (the plugin), and the configuration parameter "
                        + Constants.PLUGIN_PROPERTY_NAME + " names none either", location.source());
                return Optional.empty();
            }
            Set<String> names = new HashSet<>();
            for (XtpToml.TestEntry entry : project.tests()) {
                if (!names.add(entry.name())) {
                    report(ERROR, file + ": two tests are named '" + entry.name() + "'; only the first one runs",
                            location.source());
                }
            }
            return Optional.of(project);
        });
    }

    /** The simulation of the {@code [[test]]} named {@code name}, if there is one. */
    static Optional<SimulationDefinition> test(XtpToml project, String name) {
        return project.tests().stream().filter(t -> t.name().equals(name)).findFirst().map(entry ->
                new SimulationDefinition(entry.name(), project.plugin().orElse(null), entry.with(),
                        entry.mockHost().orElse(null), entry.mockInput().orElse(null), null, Limits.NONE, Map.of(),
                        entry.build().isPresent() ? log -> project.build(entry, log) : null, null, null, 0));
    }

    /** The simulation files a {@link Simulations} class names, each problem reported. */
    List<Location> anchored(Class<?> anchor) {
        Simulations annotation = AnnotationSupport.findAnnotation(anchor, Simulations.class).orElseThrow();
        TestSource source = ClassSource.from(anchor);
        if (annotation.value().length == 0) {
            report(WARNING, anchor.getName() + ": @Simulations names no simulation", source);
        }
        List<Location> found = new ArrayList<>();
        for (String value : annotation.value()) {
            Optional<Path> file = file(value);
            if (file.isPresent() && Files.isDirectory(file.get())) {
                List<Path> inside = walk(file.get());
                if (inside.isEmpty()) {
                    report(WARNING, anchor.getName() + ": @Simulations names the folder " + file.get()
                            + ", which holds no *.simulation.yaml or xtp.toml file", source);
                }
                inside.forEach(f -> found.add(Location.ofFile(f, baseDir)));
            } else if (file.isPresent() && Files.isRegularFile(file.get())) {
                if (!isSimulationFile(file.get().getFileName().toString())
                        && !isProjectFile(file.get().getFileName().toString())) {
                    report(ERROR, anchor.getName() + ": @Simulations names " + file.get()
                            + ", which is neither a *.simulation.yaml nor an xtp.toml file", source);
                } else {
                    found.add(Location.ofFile(file.get(), baseDir));
                }
            } else {
                Optional<Location> resource = Location.findResource(value, anchor.getClassLoader());
                if (resource.isPresent()) {
                    found.add(resource.get());
                } else {
                    report(ERROR, anchor.getName() + ": @Simulations names '" + value + "', which is neither a file"
                            + " under " + baseDir + " nor a classpath resource", source);
                }
            }
        }
        return found;
    }

    private Optional<Path> file(String value) {
        try {
            return Optional.of(baseDir.resolve(value).normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * The {@code *.simulation.yaml} and {@code xtp.toml} files under {@code dir}, in path
     * order; hidden folders and folders named {@code target} (build output, which holds
     * copies) are skipped.
     */
    static List<Path> walk(Path dir) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    String name = d.getFileName() == null ? "" : d.getFileName().toString();
                    boolean skip = !d.equals(dir) && (name.startsWith(".") || name.equals("target"));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    String name = f.getFileName().toString();
                    if (attrs.isRegularFile() && (isSimulationFile(name) || isProjectFile(name))) {
                        found.add(f.toAbsolutePath().normalize());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(null);
        return found;
    }

    void report(Severity severity, String message, TestSource source) {
        issues.reportIssue(DiscoveryIssue.builder(severity, message).source(source));
    }
}

package dev.hackablemail.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.hackablemail.runner.guest.CompiledCodeCache;
import dev.hackablemail.runner.guest.ModuleFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;

/**
 * Runs XTP simulations (a plugin, a test module driving it, an optional mock host) as JUnit
 * Platform tests: one container per simulation, one per {@code group}, one test per
 * {@code assert}, reported as the test module makes them.
 *
 * <p>Discovery: a class annotated with {@link Simulations}, classpath roots and packages
 * (such classes, and {@code *.simulation.yaml} resources), classpath resources, files and
 * folders ({@code *.simulation.yaml} and {@code xtp.toml}), and unique ids down to one
 * assert. Configuration: see {@link Constants}.
 *
 * <p>Unique ids: {@code [engine:xtp-simulation]}, then optionally {@code [class:<anchor>]},
 * then {@code [simulation:<file>]} (or {@code [xtp-toml:<file>]/[test:<name>]}), then
 * {@code [group:<name>#<n>]} and {@code [assert:<name>#<n>]}, where {@code <n>} counts the
 * occurrences of that name in its parent from 1.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SimulationTestEngine implements TestEngine {

    @Override
    public String getId() {
        return Constants.ENGINE_ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("dev.hackablemail");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("junit-engine");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        EngineDescriptor engine = new EngineDescriptor(uniqueId, "XTP simulations");
        DiscoveryIssueReporter issues = DiscoveryIssueReporter.forwarding(request.getDiscoveryListener(), uniqueId);
        List<String> problems = new ArrayList<>();
        EngineConfiguration configuration = EngineConfiguration.read(request.getConfigurationParameters(),
                problems::add);
        SimulationFiles files = new SimulationFiles(Path.of("").toAbsolutePath(), configuration, issues);
        EngineDiscoveryRequestResolver.<EngineDescriptor>builder()
                .addSelectorResolver(context -> new ContainerResolver(context.getClassNameFilter(),
                        context.getPackageFilter()))
                .addSelectorResolver(new AnchorClassResolver(files))
                .addSelectorResolver(new FileResolver(files))
                .addSelectorResolver(new RunEventResolver(configuration.naming()))
                .addSelectorResolver(new FuzzEventResolver())
                .build()
                .resolve(request, engine, issues);
        if (!engine.getChildren().isEmpty()) {
            // Bad parameters matter only where there is something to run.
            problems.forEach(p -> issues.reportIssue(
                    DiscoveryIssue.builder(DiscoveryIssue.Severity.ERROR, "configuration parameter " + p)));
        }
        return engine;
    }

    @Override
    public void execute(ExecutionRequest request) {
        // The same on-disk compiled code as xtp-sim: a build after the first compiles nothing.
        CompiledCodeCache.useUserDirectoryUnlessSet();
        EngineConfiguration configuration = EngineConfiguration.read(request.getConfigurationParameters(), p -> {});
        EngineExecutionListener listener = request.getEngineExecutionListener();
        CancellationToken cancellation = request.getCancellationToken();
        TestDescriptor engine = request.getRootTestDescriptor();
        ModuleFiles modules = new ModuleFiles(); // the simulations of one plugin read it once
        listener.executionStarted(engine);
        for (TestDescriptor child : List.copyOf(engine.getChildren())) {
            execute(child, listener, configuration, modules, cancellation);
        }
        listener.executionFinished(engine, TestExecutionResult.successful());
    }

    private static void execute(TestDescriptor descriptor, EngineExecutionListener listener,
            EngineConfiguration configuration, ModuleFiles modules, CancellationToken cancellation) {
        if (cancellation.isCancellationRequested()) {
            listener.executionSkipped(descriptor, "Execution cancelled");
            return;
        }
        if (descriptor instanceof SimulationDescriptor simulation) {
            new SimulationRun(simulation, listener, configuration, modules).execute();
            return;
        }
        if (descriptor instanceof BrokenFileDescriptor broken) {
            SimulationFailure failure = new SimulationFailure(broken.problems());
            failure.setStackTrace(new StackTraceElement[] {
                new StackTraceElement(broken.getDisplayName(), "read", broken.location().fileName(), -1)
            });
            listener.executionStarted(broken);
            listener.executionFinished(broken, TestExecutionResult.failed(failure));
            return;
        }
        listener.executionStarted(descriptor);
        for (TestDescriptor child : List.copyOf(descriptor.getChildren())) {
            execute(child, listener, configuration, modules, cancellation);
        }
        listener.executionFinished(descriptor, TestExecutionResult.successful());
    }
}

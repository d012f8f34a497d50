package dev.hackablemail.junit;

import dev.hackablemail.runner.fuzz.FuzzFailure;
import dev.hackablemail.runner.fuzz.FuzzListener;
import dev.hackablemail.runner.fuzz.FuzzResult;
import dev.hackablemail.runner.fuzz.FuzzSetupException;
import dev.hackablemail.runner.fuzz.Fuzzer;
import dev.hackablemail.runner.fuzz.Property;
import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.runner.guest.GuestLoadException;
import dev.hackablemail.runner.guest.ModuleFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.opentest4j.AssertionFailedError;

/**
 * Runs the {@code fuzz:} section of a simulation: a container {@code fuzz <export>} with one
 * test per {@link Property}; a broken property fails with the shrunk input in its message.
 * Descriptors are registered as the run reaches them, as {@link SimulationRun} does for
 * asserts, unless discovery made them (a rerun by unique id).
 */
final class FuzzRun {

    /** How much of a shrunk input a failure message shows (the whole input is in no file here). */
    private static final int MAX_INPUT_CHARS = 4000;

    private final SimulationDescriptor simulation;
    private final EngineExecutionListener listener;
    private final EngineConfiguration configuration;
    private final ModuleFiles modules;
    private final Consumer<UniqueId> reported;

    FuzzRun(SimulationDescriptor simulation, EngineExecutionListener listener, EngineConfiguration configuration,
            ModuleFiles modules, Consumer<UniqueId> reported) {
        this.simulation = simulation;
        this.listener = listener;
        this.configuration = configuration;
        this.modules = modules;
        this.reported = reported;
    }

    void execute() {
        FuzzDefinition fuzz = simulation.definition().fuzz();
        UniqueId id = simulation.getUniqueId().append(FuzzDescriptor.SEGMENT_TYPE, fuzz.export());
        Optional<OpenContainerDescriptor> container = simulation.child(id).map(OpenContainerDescriptor.class::cast);
        if (container.isEmpty() && simulation.runsAll()) {
            FuzzDescriptor dynamic = new FuzzDescriptor(id, fuzz.export());
            dynamic.runAll();
            simulation.addChild(dynamic);
            listener.dynamicTestRegistered(dynamic);
            container = Optional.of(dynamic);
        }
        if (container.isEmpty()) {
            return;
        }
        reported.accept(id);
        listener.executionStarted(container.get());
        listener.executionFinished(container.get(), run(container.get(), fuzz));
    }

    private TestExecutionResult run(OpenContainerDescriptor container, FuzzDefinition fuzz) {
        FuzzResult result;
        try {
            result = fuzzer(fuzz).run(FuzzListener.SILENT);
        } catch (FuzzSetupException | GuestLoadException e) {
            return TestExecutionResult.failed(at(new SimulationFailure(e.getMessage()), container, "fuzz"));
        }
        for (Property property : Property.values()) {
            UniqueId propertyId = container.getUniqueId().append(PropertyDescriptor.SEGMENT_TYPE, property.id());
            Optional<TestDescriptor> test = container.child(propertyId);
            if (test.isEmpty() && container.runsAll()) {
                PropertyDescriptor dynamic = new PropertyDescriptor(propertyId, property);
                container.addChild(dynamic);
                listener.dynamicTestRegistered(dynamic);
                test = Optional.of(dynamic);
            }
            if (test.isPresent()) {
                reported.accept(propertyId);
                listener.executionStarted(test.get());
                Optional<FuzzFailure> failure = result.failures().stream().filter(f -> f.property() == property)
                        .findFirst();
                listener.executionFinished(test.get(), failure.isEmpty() ? TestExecutionResult.successful()
                        : TestExecutionResult.failed(at(new AssertionFailedError(
                                failure.get().summary(result.seed(), MAX_INPUT_CHARS)), container, property.id())));
            }
        }
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("runs", Integer.toString(result.runs()));
        entry.put("seed", Long.toString(result.seed()));
        entry.put("inputsPerSecond", String.format(java.util.Locale.ROOT, "%.0f", result.inputsPerSecond()));
        listener.reportingEntryPublished(container, ReportEntry.from(entry));
        return TestExecutionResult.successful();
    }

    private Fuzzer fuzzer(FuzzDefinition fuzz) {
        SimulationDefinition definition = simulation.definition();
        Path plugin = configuration.plugin().orElse(definition.plugin());
        if (plugin == null) {
            throw new FuzzSetupException(definition.name() + ": no plugin to fuzz");
        }
        Limits limits = configuration.limits().overriddenBy(definition.limits());
        Fuzzer.Builder builder = Fuzzer.builder(modules.load(plugin), fuzz.schema())
                .export(fuzz.export())
                .mockHost(definition.mockHost() == null ? null : modules.load(definition.mockHost()))
                .config(definition.config())
                .limits(limits.applyTo(GuestLimits.DEFAULTS.withTimeout(Fuzzer.DEFAULT_TIMEOUT)))
                .execution(configuration.execution())
                .runs(fuzz.runs())
                .seed(fuzz.seed())
                .time(fuzz.time());
        if (configuration.logLevel() != null) {
            builder.log(configuration.log(), configuration.logLevel());
        }
        return builder.build();
    }

    /** One stack frame, {@code at fuzz <export>.<property>(<file>)}, as for asserts. */
    private <T extends Throwable> T at(T failure, TestDescriptor container, String method) {
        failure.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(container.getDisplayName(), method, simulation.location().fileName(), -1)
        });
        return failure;
    }
}

package dev.hackablemail.junit;

import dev.hackablemail.runner.fuzz.FailureFiles;
import dev.hackablemail.runner.fuzz.FuzzFailure;
import dev.hackablemail.runner.fuzz.FuzzListener;
import dev.hackablemail.runner.fuzz.FuzzResult;
import dev.hackablemail.runner.fuzz.FuzzSetupException;
import dev.hackablemail.runner.fuzz.Fuzzer;
import dev.hackablemail.runner.fuzz.Property;
import dev.hackablemail.runner.guest.GuestLimits;
import dev.hackablemail.runner.guest.GuestLoadException;
import dev.hackablemail.runner.guest.ModuleFiles;
import dev.hackablemail.runner.report.Reasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>A failure is saved under {@value #FAILURES_DIR} (one folder per simulation file, one file
 * per property, as {@code xtp-sim fuzz} saves them) and its message gives the
 * {@code xtp-sim fuzz --replay} line. The next run replays the saved failures first, as
 * jqwik's failure database does: one that still fails fails its property again (and stays);
 * one that passes now is deleted, and fuzzing goes on as usual.
 */
final class FuzzRun {

    /** How much of a shrunk input a failure message shows (the whole input is in the saved file). */
    private static final int MAX_INPUT_CHARS = 4000;

    /** Where failures are kept, under the working directory (the module's folder under Maven). */
    static final String FAILURES_DIR = "target/xtp-fuzz-failures";

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
        Map<Property, String> stillFailing;
        Path dir = failuresDir();
        try {
            Fuzzer fuzzer = fuzzer(fuzz);
            stillFailing = replaySaved(fuzzer, dir, fuzz);
            result = fuzzer.run(FuzzListener.SILENT);
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
                String message = stillFailing.containsKey(property) ? stillFailing.get(property)
                        : failure.map(f -> f.summary(result.seed(), MAX_INPUT_CHARS) + saved(dir, result, f, fuzz))
                                .orElse(null);
                listener.executionFinished(test.get(), message == null ? TestExecutionResult.successful()
                        : TestExecutionResult.failed(at(new AssertionFailedError(message), container, property.id())));
            }
        }
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("runs", Integer.toString(result.runs()));
        entry.put("seed", Long.toString(result.seed()));
        entry.put("inputsPerSecond", String.format(java.util.Locale.ROOT, "%.0f", result.inputsPerSecond()));
        listener.reportingEntryPublished(container, ReportEntry.from(entry));
        return TestExecutionResult.successful();
    }

    /** This simulation file's folder of saved failures. */
    private Path failuresDir() {
        return Path.of(FAILURES_DIR, simulation.location().id().replaceAll("[^A-Za-z0-9_.-]+", "_"));
    }

    /**
     * Replays the failures an earlier run saved: the message of each that still fails, by
     * property; a file that passes now is deleted (what it found is fixed).
     */
    private Map<Property, String> replaySaved(Fuzzer fuzzer, Path dir, FuzzDefinition fuzz) {
        Map<Property, String> still = new EnumMap<>(Property.class);
        for (Property property : Property.values()) {
            Path file = dir.resolve(FailureFiles.fileName(fuzz.export(), property));
            if (!Files.isRegularFile(file)) {
                continue;
            }
            FailureFiles.Saved saved;
            try {
                saved = FailureFiles.read(file);
            } catch (FuzzSetupException e) {
                continue; // not one of ours any more: the next failure overwrites it
            }
            Optional<FuzzFailure> again = fuzzer.replay(saved.input(), saved.hostSeed());
            if (again.isPresent() && again.get().property() == property) {
                still.put(property, "a failure saved by an earlier run still fails: " + again.get().message()
                        + "\nsaved input: " + file.toAbsolutePath() + "\nreplay: " + replayCommand(file, fuzz));
            } else {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // it is replayed again next time
                }
            }
        }
        return still;
    }

    /** Saves the failure; the lines telling where, and how to replay it. */
    private String saved(Path dir, FuzzResult result, FuzzFailure failure, FuzzDefinition fuzz) {
        try {
            Path file = FailureFiles.save(dir, result, failure);
            return "\nsaved: " + file.toAbsolutePath() + " (replayed first on the next run)\nreplay: "
                    + replayCommand(file, fuzz);
        } catch (IOException e) {
            return "\n(not saved under " + dir + ": " + Reasons.of(e) + ")";
        }
    }

    /** The {@code xtp-sim fuzz ... --replay FILE} line that replays a saved failure. */
    private String replayCommand(Path file, FuzzDefinition fuzz) {
        SimulationDefinition definition = simulation.definition();
        List<String> args = new ArrayList<>(List.of("xtp-sim", "fuzz",
                configuration.plugin().orElse(definition.plugin()).toString(), "--schema", fuzz.schemaFile().toString(),
                "--export", fuzz.export()));
        if (definition.mockHost() != null) {
            args.addAll(List.of("--mock-host", definition.mockHost().toString()));
        }
        definition.config().forEach((k, v) -> args.addAll(List.of("--config", k + "=" + v)));
        args.addAll(List.of("--replay", file.toAbsolutePath().toString()));
        return String.join(" ", args.stream().map(a -> a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a
                : "'" + a.replace("'", "'\\''") + "'").toList());
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

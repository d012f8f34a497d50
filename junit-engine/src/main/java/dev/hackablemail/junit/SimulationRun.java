package dev.hackablemail.junit;

import dev.hackablemail.runner.guest.ModuleFiles;
import dev.hackablemail.runner.project.XtpTomlException;
import dev.hackablemail.runner.sim.AssertionResult;
import dev.hackablemail.runner.sim.Simulation;
import dev.hackablemail.runner.sim.SimulationListener;
import dev.hackablemail.runner.sim.SimulationResult;
import dev.hackablemail.runner.sim.SimulationSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.opentest4j.AssertionFailedError;

/**
 * Runs one simulation and reports it as it happens: the simulation is a container, each
 * {@code group} a container started when the group starts and finished when the next one
 * (or the run) does, each {@code assert} a test. Groups and asserts are registered as
 * dynamic descriptors unless discovery already made them (a rerun by unique id); their ids
 * count occurrences of a name ({@code #1}, {@code #2}, ...) so that they stay the same from
 * run to run.
 */
final class SimulationRun implements SimulationListener {

    /** Where asserts currently go: the simulation itself, or the current group. */
    private static final class Scope {
        /** The descriptor to report under; null when nothing under it was selected. */
        final OpenContainerDescriptor descriptor;
        final boolean reportAll;
        final Map<String, Integer> asserts = new HashMap<>();

        Scope(OpenContainerDescriptor descriptor, boolean reportAll) {
            this.descriptor = descriptor;
            this.reportAll = reportAll;
        }
    }

    private final SimulationDescriptor simulation;
    private final EngineExecutionListener listener;
    private final EngineConfiguration configuration;
    private final ModuleFiles modules;
    private final Map<String, Integer> groups = new HashMap<>();
    private final Set<UniqueId> reported = new HashSet<>();
    private final Scope top;
    private Scope current;
    private boolean started;

    /** {@code modules}: the execution's module files, read once for all its simulations. */
    SimulationRun(SimulationDescriptor simulation, EngineExecutionListener listener,
            EngineConfiguration configuration, ModuleFiles modules) {
        this.simulation = simulation;
        this.listener = listener;
        this.configuration = configuration;
        this.modules = modules;
        this.top = new Scope(simulation, simulation.runsAll());
        this.current = top;
    }

    void execute() {
        listener.executionStarted(simulation);
        TestExecutionResult result;
        try {
            result = run();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            result = TestExecutionResult.failed(e);
        }
        closeGroup();
        if (simulation.definition().fuzz() != null) {
            new FuzzRun(simulation, listener, configuration, modules, reported::add).execute();
        }
        if (started) {
            reportUnreached(simulation);
        }
        listener.executionFinished(simulation, result);
    }

    private TestExecutionResult run() {
        SimulationDefinition definition = simulation.definition();
        if (definition.testModule() == null) {
            return TestExecutionResult.successful(); // a file with only a fuzz section
        }
        if (definition.build() != null && configuration.build()) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try {
                definition.build().run(log);
            } catch (XtpTomlException e) {
                return TestExecutionResult.failed(atSimulation(new SimulationFailure(e.getMessage() + output(log))));
            }
            String text = log.toString(StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                listener.reportingEntryPublished(simulation, ReportEntry.from("build", text));
            }
        }
        SimulationResult result = Simulation.prepare(definition.toSpec(configuration, modules)).run(this);
        if (result.testReturnCode() != null && result.testReturnCode() != 0) {
            return TestExecutionResult.failed(atSimulation(new SimulationFailure(definition.testModule().getFileName()
                    + ": test returned " + result.testReturnCode() + " (0 means the test module ran to its end)"
                    + (result.error() == null ? "" : ": " + result.error()))));
        }
        if (result.error() != null || result.testReturnCode() == null) {
            return TestExecutionResult.failed(atSimulation(new SimulationFailure(result.error())));
        }
        return TestExecutionResult.successful();
    }

    /** The failure with one stack frame, {@code at <simulation>.test(<file>)}, as for asserts. */
    private SimulationFailure atSimulation(SimulationFailure failure) {
        failure.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(simulation.getDisplayName(), "test", simulation.location().fileName(), withLine())
        });
        return failure;
    }

    /** The line of the file's {@code with:} entry for a stack frame: -1 (no line) when unknown. */
    private int withLine() {
        int line = simulation.definition().withLine();
        return line > 0 ? line : -1;
    }

    private static String output(ByteArrayOutputStream log) {
        String text = log.toString(StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "" : "\n" + text;
    }

    @Override
    public void simulationStarted(SimulationSpec spec) {
        started = true;
    }

    @Override
    public void groupStarted(String name) {
        closeGroup();
        int occurrence = groups.merge(name, 1, Integer::sum);
        UniqueId id = simulation.getUniqueId().append(GroupDescriptor.SEGMENT_TYPE,
                OpenContainerDescriptor.occurrence(name, occurrence));
        Optional<OpenContainerDescriptor> group = simulation.child(id).map(OpenContainerDescriptor.class::cast);
        if (group.isEmpty() && simulation.runsAll()) {
            GroupDescriptor dynamic = new GroupDescriptor(id, name, simulation.withSource());
            simulation.addChild(dynamic);
            listener.dynamicTestRegistered(dynamic);
            group = Optional.of(dynamic);
        }
        if (group.isPresent()) {
            reported.add(id);
            listener.executionStarted(group.get());
            current = new Scope(group.get(), simulation.runsAll() || group.get().runsAll());
        } else {
            current = new Scope(null, false);
        }
    }

    @Override
    public void assertion(AssertionResult result) {
        Scope scope = current;
        if (scope.descriptor == null) {
            return;
        }
        int occurrence = scope.asserts.merge(result.name(), 1, Integer::sum);
        UniqueId id = scope.descriptor.getUniqueId().append(AssertDescriptor.SEGMENT_TYPE,
                OpenContainerDescriptor.occurrence(result.name(), occurrence));
        Optional<TestDescriptor> test = scope.descriptor.child(id);
        if (test.isEmpty() && scope.reportAll) {
            AssertDescriptor dynamic = new AssertDescriptor(id, result.group(), result.name(), configuration.naming(),
                    simulation.withSource());
            scope.descriptor.addChild(dynamic);
            listener.dynamicTestRegistered(dynamic);
            test = Optional.of(dynamic);
        }
        if (test.isPresent()) {
            reported.add(id);
            listener.executionStarted(test.get());
            listener.executionFinished(test.get(), result.passed() ? TestExecutionResult.successful()
                    : TestExecutionResult.failed(atAssert(new AssertionFailedError(reason(result)), result)));
        }
    }

    /**
     * Replaces the stack trace (engine and Chicory frames, of no use to the reader) with one
     * frame naming the group, the assert and the simulation file, as
     * {@code at <group>.<assert>(<file>)}.
     */
    private <T extends Throwable> T atAssert(T failure, AssertionResult result) {
        String where = result.group() != null ? result.group() : simulation.getDisplayName();
        failure.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(where, result.name(), simulation.location().fileName(), withLine())
        });
        return failure;
    }

    private static String reason(AssertionResult result) {
        return result.reason() == null || result.reason().isBlank()
                ? "assert '" + result.name() + "' failed (the test module gave no reason)"
                : result.reason();
    }

    @Override
    public void callTimed(String group, String function, long nanos) {
        if (current.descriptor != null) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("time", function);
            entry.put("nanos", Long.toString(nanos));
            listener.reportingEntryPublished(current.descriptor, ReportEntry.from(entry));
        }
    }

    @Override
    public void simulationFinished(SimulationResult result) {
        closeGroup();
    }

    private void closeGroup() {
        if (current != top) {
            if (current.descriptor != null) {
                reportUnreached(current.descriptor);
                listener.executionFinished(current.descriptor, TestExecutionResult.successful());
            }
            current = top;
        }
    }

    /**
     * Fails the selected descriptors under {@code parent} that the run did not reach: a rerun
     * asked for an assert or a group that this run did not make.
     */
    private void reportUnreached(TestDescriptor parent) {
        for (TestDescriptor child : List.copyOf(parent.getChildren())) {
            if (!reported.add(child.getUniqueId())) {
                continue;
            }
            listener.executionStarted(child);
            if (child instanceof GroupDescriptor) {
                reportUnreached(child);
            }
            String segment = child.getUniqueId().getLastSegment().getValue();
            String occurrence = segment.substring(segment.lastIndexOf('#'));
            String name = OpenContainerDescriptor.nameOfOccurrence(segment).orElse(child.getDisplayName());
            String message = "this run made no " + (child instanceof GroupDescriptor ? "group" : "assert") + " '"
                    + name + "' " + occurrence
                    + (parent instanceof GroupDescriptor ? " in group '" + parent.getDisplayName() + "'" : "");
            listener.executionFinished(child, TestExecutionResult.failed(new AssertionFailedError(message)));
        }
    }
}

package dev.hackablemail.runner.sim;

import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.hackablemail.runner.guest.GuestCallException;
import dev.hackablemail.runner.guest.GuestLoadException;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.PluginTemplate;
import java.time.Duration;
import java.util.List;

/**
 * Runs a test module against a plugin, the way {@code xtp plugin test} does: the test
 * module's {@code test} export drives the plugin through the harness, and results flow
 * to a {@link SimulationListener} as they happen.
 *
 * <p>{@link #prepare} loads the modules and builds both templates once; each run (the
 * warm-up runs included) makes fresh instances of them, its harness bound to that run.
 * One run at a time.
 */
public final class Simulation {

    private static final byte[] NO_INPUT = new byte[0];
    private static final int AUTO_WARM_UP_RUNS = 200;
    private static final Duration WARM_UP_BUDGET = Duration.ofSeconds(3);

    private final SimulationSpec spec;
    private final PluginTemplate pluginTemplate;
    private final GuestModule testModule;
    private final PluginTemplate testTemplate;
    /** The harness of the run in progress, which the test template's host functions call. */
    private final java.util.concurrent.atomic.AtomicReference<Harness> running;
    private boolean warmedUp;
    /** Why the plugin could not even be initialized while warming up: the run fails the same way. */
    private String warmUpFailure;

    private Simulation(SimulationSpec spec, PluginTemplate pluginTemplate, GuestModule testModule,
            java.util.concurrent.atomic.AtomicReference<Harness> running) {
        this.spec = spec;
        this.running = running;
        this.pluginTemplate = pluginTemplate;
        this.testModule = testModule;
        this.testTemplate = PluginTemplate.builder(testModule)
                .withHostImports(Harness.imports(importsLegacyAssert(testModule), spec.mockInput().orElse(null),
                        running::get))
                .withLimits(spec.limits().withTimeout(spec.runTimeout()))
                .withInitTimeout(spec.limits().timeout())
                .withExecution(spec.execution())
                .withLog(spec.log(), spec.logLevel())
                .withWasi(spec.wasi())
                .build();
    }

    /**
     * Loads and checks the three modules (each file read once per run through the spec's
     * {@link dev.hackablemail.runner.guest.ModuleFiles}, parsed and compiled once per process).
     *
     * @throws SimulationSetupException when a module is missing, invalid, or the modules
     *     cannot be linked together; the message names the file and the problem
     */
    public static Simulation prepare(SimulationSpec spec) {
        try {
            GuestModule plugin = spec.loadPlugin();
            GuestModule test = spec.loadTestModule();
            GuestModule mock = spec.loadMockHost().orElse(null);
            checkTestModule(test);
            java.util.concurrent.atomic.AtomicReference<Harness> running = new java.util.concurrent.atomic.AtomicReference<>();
            PluginTemplate template = PluginTemplate.builder(plugin)
                    .withMockHost(mock)
                    // only a test module that asks for the host calls pays for copying their payloads
                    .withHostCallObserver(!importsHarness(test, "host_calls") ? null : (function, input, output) -> {
                        Harness harness = running.get();
                        if (harness != null) {
                            harness.hostCall(function, input, output);
                        }
                    })
                    .withHostImport(Harness.mockInput(spec.mockInput().orElse(null)))
                    .withConfig(spec.config())
                    .withAllowedHosts(spec.allowedHosts())
                    .withLimits(spec.limits())
                    .withExecution(spec.execution())
                    .withLog(spec.log(), spec.logLevel())
                    .withWasi(spec.wasi())
                    .build();
            return new Simulation(spec, template, test, running);
        } catch (GuestLoadException e) {
            throw new SimulationSetupException(e.getMessage(), e);
        }
    }

    /** Prepares and runs {@code spec}. */
    public static SimulationResult run(SimulationSpec spec, SimulationListener listener) {
        return prepare(spec).run(listener);
    }

    public SimulationSpec spec() {
        return spec;
    }

    /**
     * Runs the test module once, from fresh instances.
     *
     * @throws SimulationSetupException when the modules cannot be instantiated together
     */
    public synchronized SimulationResult run(SimulationListener listener) {
        long start = System.nanoTime();
        warmUpOnce();
        return warmUpFailure != null ? stopped(listener, start, warmUpFailure) : runOnce(listener);
    }

    /**
     * When the test module measures time, runs it unobserved first (up to 200 times within 3 s). A cold JVM
     * runs freshly compiled Wasm in its bytecode interpreter for the first hundreds of
     * calls; without this, an assert such as "one call takes under 300,000 ns" (which
     * natively compiled runners pass) would measure the JVM's warm-up, not the plugin.
     */
    private void warmUpOnce() {
        if (warmedUp) {
            return;
        }
        warmedUp = true;
        int runs = spec.warmUpRuns().orElse(
                testModule.functionImports().stream().anyMatch(Simulation::isTime) ? AUTO_WARM_UP_RUNS : 0);
        if (runs == 0) {
            return;
        }
        try {
            pluginTemplate.warmUp();
        } catch (GuestCallException e) {
            warmUpFailure = e.getMessage(); // no second wait for a plugin that never finishes initializing
            return;
        } catch (GuestLoadException e) {
            return; // the observed run meets it and reports it
        }
        long deadline = System.nanoTime() + WARM_UP_BUDGET.toNanos();
        for (int i = 0; i < runs && System.nanoTime() - deadline < 0; i++) {
            if (runOnce(new SimulationListener() {}).error() != null) {
                return;
            }
        }
    }

    private static boolean isTime(FunctionImport imported) {
        return imported.module().equals(Harness.MODULE) && imported.name().equals("time");
    }

    private SimulationResult runOnce(SimulationListener listener) {
        long start = System.nanoTime();
        GuestPlugin firstPlugin;
        Harness harness;
        try {
            firstPlugin = pluginTemplate.instantiate();
        } catch (GuestLoadException e) {
            throw new SimulationSetupException(e.getMessage(), e);
        } catch (GuestCallException e) {
            return stopped(listener, start, e.getMessage());
        }
        harness = new Harness(pluginTemplate, firstPlugin, listener);
        running.set(harness);
        GuestPlugin test = null;
        Integer returnCode = null;
        String error = null;
        // Whatever ends the run (a listener's exception included), both modules' instances are closed.
        try {
            try {
                test = testTemplate.instantiate();
            } catch (GuestLoadException e) {
                throw new SimulationSetupException(e.getMessage(), e);
            } catch (GuestCallException e) {
                return stopped(listener, start, e.getMessage());
            }
            listener.simulationStarted(spec);
            try {
                test.call("test", NO_INPUT);
                returnCode = 0;
            } catch (GuestCallException e) {
                if (e.kind() == GuestCallException.Kind.ERROR) {
                    returnCode = e.returnCode();
                    error = e.guestError(); // its own words, as a JS test that throws sets them
                } else {
                    error = e.getMessage();
                }
            }
        } finally {
            if (test != null) {
                test.close();
            }
            harness.close();
            running.set(null);
        }
        SimulationResult result = new SimulationResult(spec.name(), harness.passed(), harness.failed(),
                returnCode, error, Duration.ofNanos(System.nanoTime() - start));
        listener.simulationFinished(result);
        return result;
    }

    /** A run that ended before the test module's {@code test} started: a module failed to initialize. */
    private SimulationResult stopped(SimulationListener listener, long start, String why) {
        listener.simulationStarted(spec);
        SimulationResult result = new SimulationResult(spec.name(), 0, 0, null, why,
                Duration.ofNanos(System.nanoTime() - start));
        listener.simulationFinished(result);
        return result;
    }

    private static boolean importsHarness(GuestModule test, String name) {
        return test.functionImports().stream().anyMatch(i -> i.module().equals(Harness.MODULE) && i.name().equals(name));
    }

    private static boolean importsLegacyAssert(GuestModule test) {
        return test.functionImports().stream().anyMatch(i -> i.module().equals(Harness.MODULE)
                && i.name().equals("assert") && test.importType(i).equals(Harness.LEGACY_ASSERT));
    }

    private static void checkTestModule(GuestModule test) {
        if (test.exportedFunction("test").isEmpty()) {
            throw new SimulationSetupException(test.name()
                    + ": no export named 'test' (a test module exports test: () -> i32; its exports: "
                    + String.join(", ", test.exportedFunctionNames()) + ")");
        }
        for (FunctionImport imported : test.functionImports()) {
            if (!imported.module().equals(Harness.MODULE)) {
                continue;
            }
            FunctionType expected = Harness.FUNCTIONS.get(imported.name());
            FunctionType actual = test.wasm().typeSection().getType(imported.typeIndex());
            if (expected == null) {
                throw new SimulationSetupException(test.name() + " imports " + Harness.MODULE + "." + imported.name()
                        + ", which the harness does not have (it has: " + String.join(", ", List.of(
                                "call", "time", "assert", "group", "reset", "mock_input", "host_calls")) + ")");
            }
            if (!Harness.accepts(imported.name(), actual)) {
                String also = imported.name().equals("assert") ? " (or " + Harness.LEGACY_ASSERT
                        + ", the assert of xtp-test releases before mid-2024)" : "";
                throw new SimulationSetupException(test.name() + " imports " + Harness.MODULE + "." + imported.name()
                        + " with type " + actual + ", but the harness provides " + expected + also);
            }
        }
    }
}

package dev.hackablemail.service;

import dev.hackablemail.onemail.OnEmailSchema;
import dev.hackablemail.runner.guest.GuestLoadException;
import dev.hackablemail.runner.guest.CompiledCodeCache;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.ModuleFiles;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.runner.sim.AssertionResult;
import dev.hackablemail.runner.sim.Simulation;
import dev.hackablemail.runner.sim.SimulationRecord;
import dev.hackablemail.runner.sim.SimulationResult;
import dev.hackablemail.runner.sim.SimulationSetupException;
import dev.hackablemail.runner.sim.SimulationSpec;
import dev.hackablemail.schema.wasm.PluginChecker;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.store.GuestStore.Attachment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gate every plugin passes before it reaches production, the same for a guest's push,
 * a rollback and the admin's command:
 *
 * <ol>
 *   <li>the schema check: the bytes are a Wasm module that fits {@code on-email.yaml}
 *       (exports {@code onEmail}, imports only {@code deliver} and {@code reply} from the
 *       host, with the Extism types), see {@link PluginChecker};</li>
 *   <li>every configured simulation, one after the other, with the plugin in place of the
 *       example one, under the filter's plugin limits and execution mode. Every simulation
 *       runs even when an earlier one failed, so the author sees every failed assert.</li>
 * </ol>
 *
 * <p>Then, when every simulation passed, {@link FuzzGate} fuzzes {@code onEmail} with a bounded
 * budget; it reports as one more outcome, named {@value FuzzGate#NAME}.
 *
 * <p>The upload is parsed once ({@link GuestModule#of}) and that module is handed to the check,
 * every simulation and the fuzzer; the simulations' own files are read once for the gate's
 * life (again when they change on disk, see {@link ModuleFiles}).
 *
 * <p>A plugin passes only when the check found nothing and every simulation was successful
 * (every assert held and the test module returned 0), the fuzzing included. Anything else, a simulation that
 * could not even start with this plugin included, is a rejection.
 */
public final class SimulationGate implements PluginGate {

    private final ServiceConfig config;
    private final Schema schema;
    private final FuzzGate fuzz;
    private final CasesGate cases;
    /** The simulations' own modules, which stay cached (found by {@link #verify()}). */
    private final java.util.Set<String> simulationDigests = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The simulations' test modules and mock hosts, read once (and again when rebuilt). */
    private final ModuleFiles modules = new ModuleFiles();

    public SimulationGate(ServiceConfig config) {
        this.config = config;
        this.schema = OnEmailSchema.load();
        this.fuzz = new FuzzGate(schema, config.limits(), config.execution(), config.fuzz());
        this.cases = new CasesGate(config.filter(), config.simulations().get(0).runTimeout());
        // This machine's compiled-code folder (the store setting's cache): the first mail
        // after a push loads what the gate compiled.
        CompiledCodeCache.useDirectory(config.store().cache());
    }

    /**
     * Checks that every simulation's modules can be loaded (and parses them once, so the
     * first push does not pay for it).
     *
     * @throws ServiceConfig.ConfigException naming the simulation and the file
     */
    public SimulationGate verify() {
        for (ServiceConfig.SimulationConfig sim : config.simulations()) {
            load(sim, "with", sim.testModule());
            if (sim.mockHost() != null) {
                load(sim, "mock_host", sim.mockHost());
            }
        }
        return this;
    }

    private void load(ServiceConfig.SimulationConfig sim, String key, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ServiceConfig.ConfigException(config.source() + ": simulation " + sim.name() + ": " + key + " "
                    + file + ": no such file");
        }
        try {
            simulationDigests.add(modules.load(file).digest());
        } catch (GuestLoadException e) {
            throw new ServiceConfig.ConfigException(config.source() + ": simulation " + sim.name() + ": "
                    + e.getMessage());
        }
    }

    /**
     * Runs the gate once on a plugin that passes (the example plugin), so that the JVM has
     * loaded and compiled the simulation code before the first guest pushes: a cold first
     * push takes seconds, the next ones a fraction of a second.
     *
     * @return how the warm-up went
     */
    public GateReport warmUp(Path plugin) throws java.io.IOException {
        return check(Files.readAllBytes(plugin));
    }

    /** Whether the server's simulations are the contract alone (the default). */
    public boolean runsOnlyTheContract() {
        return config.simulations().size() == 1 && config.simulations().get(0).name().equals(ServiceConfig.CONTRACT);
    }

    @Override
    public GateReport check(Candidate candidate) {
        long start = System.nanoTime();
        String name = candidate.fileName();
        byte[] wasm = candidate.wasm();
        List<String> problems = new ArrayList<>();
        GuestModule plugin = null;
        List<GuestModule> uploaded = new ArrayList<>();
        if (wasm.length == 0) {
            problems.add(name + ": empty: a plugin is a Wasm module");
        } else {
            try {
                plugin = GuestModule.of(name, wasm); // what the runner (and the filter) will parse
                problems.addAll(PluginChecker.check(schema, plugin.wasm(), name));
            } catch (GuestLoadException e) {
                problems.add(e.getMessage()); // "NAME: not a valid Wasm module: <reason>"
            } catch (RuntimeException e) { // a parser bug must not let a plugin through
                problems.add(name + ": not a valid Wasm module: " + Reasons.of(e));
            }
        }
        try {
            long checkNanos = System.nanoTime() - start;
            if (!problems.isEmpty()) {
                return new GateReport(problems, List.of(), millis(checkNanos), 0);
            }
            List<GateReport.SimulationOutcome> outcomes = new ArrayList<>();
            long simStart = System.nanoTime();
            for (ServiceConfig.SimulationConfig sim : config.simulations()) {
                outcomes.add(run(GateReport.Kind.SERVER, sim, plugin, modules));
            }
            if (outcomes.stream().allMatch(GateReport.SimulationOutcome::successful)) {
                outcomes.add(fuzz.check(plugin));
            }
            // the author's own checks only for a plugin that passed the server's: a plugin that loops
            // would otherwise hold its push slot for every one of them
            if (outcomes.stream().allMatch(GateReport.SimulationOutcome::successful)) {
                outcomes.addAll(authorChecks(candidate.attachments(), plugin, wasm, uploaded));
            }
            return new GateReport(List.of(), outcomes, millis(checkNanos), millis(System.nanoTime() - simStart));
        } finally {
            if (plugin != null) {
                forget(plugin.digest());
            }
            uploaded.forEach(m -> forget(m.digest()));
        }
    }

    /**
     * The files the author pushed with the plugin, after the server's own checks passed, under
     * the same limits: they can only add checks. THE one place where each kind of attachment is
     * run: a {@code simulation} with the author's {@code mock-host} if they pushed one, else
     * the mock host of the server's first simulation; a {@code mock-host} is no check by itself;
     * {@code cases} (mail test cases) run through the filter's core in record mode ({@link CasesGate}).
     */
    private List<GateReport.SimulationOutcome> authorChecks(List<Attachment> attachments, GuestModule plugin,
            byte[] wasm, List<GuestModule> uploaded) {
        List<GateReport.SimulationOutcome> outcomes = new ArrayList<>();
        if (attachments.isEmpty()) {
            return outcomes;
        }
        ModuleFiles files = new ModuleFiles();
        ServiceConfig.SimulationConfig first = config.simulations().get(0);
        Path mockHost = first.mockHost();
        java.util.Map<String, String> unloadable = new java.util.HashMap<>();
        for (Attachment a : attachments) {
            if (a.kind().equals(Attachment.CASES)) {
                continue;
            }
            try {
                GuestModule module = GuestModule.of(a.name(), a.bytes());
                uploaded.add(module);
                files.with(Path.of(a.name()), module);
            } catch (GuestLoadException e) {
                unloadable.put(a.name(), e.getMessage());
            }
            if (a.kind().equals(Attachment.MOCK_HOST)) {
                mockHost = Path.of(a.name());
            }
        }
        for (Attachment a : attachments) {
            switch (a.kind()) {
                case Attachment.SIMULATION:
                    String broken = unloadable.getOrDefault(a.name(), mockHost == null ? null
                            : unloadable.get(mockHost.toString()));
                    if (broken != null) {
                        outcomes.add(new GateReport.SimulationOutcome(GateReport.Kind.AUTHOR, a.name(), false, 0, 0,
                                null, "could not run: " + broken, 0, List.of()));
                    } else {
                        outcomes.add(run(GateReport.Kind.AUTHOR, new ServiceConfig.SimulationConfig(a.name(),
                                Path.of(a.name()), mockHost, null, first.runTimeout()), plugin, files));
                    }
                    break;
                case Attachment.CASES:
                    outcomes.add(cases.check(a, wasm));
                    break;
                default: // the mock host: the simulations above use it
                    break;
            }
        }
        return outcomes;
    }

    /** Drops a module from the runner's module cache (never a simulation's own module). */
    private void forget(String digest) {
        if (!simulationDigests.contains(digest)) {
            GuestModule.forget(digest);
        }
    }

    private GateReport.SimulationOutcome run(GateReport.Kind kind, ServiceConfig.SimulationConfig sim,
            GuestModule plugin, ModuleFiles files) {
        long start = System.nanoTime();
        SimulationSpec spec = SimulationSpec.builder(plugin, sim.testModule())
                .withName(sim.name())
                .withModules(files)
                .withMockHost(sim.mockHost())
                .withMockInput(sim.mockInput())
                .withLimits(config.limits())
                .withExecution(config.execution())
                .withRunTimeout(sim.runTimeout())
                .build();
        SimulationRecord record = new SimulationRecord();
        try {
            SimulationResult result = Simulation.prepare(spec).run(record);
            List<GateReport.Failure> failures = new ArrayList<>();
            for (SimulationRecord.Group group : record.groups()) {
                for (AssertionResult a : group.asserts()) {
                    if (!a.passed()) {
                        failures.add(new GateReport.Failure(group.name(), a.name(), a.reason()));
                    }
                }
            }
            return new GateReport.SimulationOutcome(kind, sim.name(), result.successful(), result.passed(),
                    result.failed(), result.testReturnCode(), result.error(),
                    millis(System.nanoTime() - start), failures);
        } catch (SimulationSetupException e) {
            return new GateReport.SimulationOutcome(kind, sim.name(), false, 0, 0, null,
                    "could not run: " + e.getMessage(), millis(System.nanoTime() - start),
                    List.of());
        } catch (RuntimeException e) {
            return new GateReport.SimulationOutcome(kind, sim.name(), false, 0, 0, null, "could not run: " + e,
                    millis(System.nanoTime() - start), List.of());
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}

package dev.hackablemail.runner.cli;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.ModuleFiles;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.runner.report.ConsoleReporter;
import dev.hackablemail.runner.sim.Simulation;
import dev.hackablemail.runner.sim.SimulationListener;
import dev.hackablemail.runner.sim.SimulationResult;
import dev.hackablemail.runner.sim.SimulationSpec;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        mixinStandardHelpOptions = true,
        name = "bench",
        header = "Measure the runner: cold start, first calls against V8, warm calls, resets, a whole simulation.",
        description = {
            "Prints numbers you can compare from run to run (same machine, same load). First, as fresh "
                    + "processes: a bare JVM, `xtp-sim --version` and the main job (`xtp-sim test` of this "
                    + "repository's xtp.toml) on an empty and on a warm cache, as ratios to the bare JVM; then the "
                    + "per-call median of the first calls of count_vowels in a fresh JVM, beside the Extism JS "
                    + "runtime on V8 when node and @extism/extism (`npm ci` in runner/bench/js) are there. Then, in "
                    + "this process: warm calls of one export of a plugin, fresh instances of it, and whole runs of a "
                    + "simulation of it. By default the plugin is the repository's example plugin with its mock host, "
                    + "its sample input (" + BenchCommand.EXAMPLE_INPUT + ") and its simulation.",
            "",
            "The export timed is --function, or the plugin's only Extism export (a function () -> i32); a plugin "
                    + "with several must be told which.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  xtp-sim bench --calls 5000 --runs 50",
            "  xtp-sim bench --cold-runs 0          # in-process figures only",
            "  xtp-sim bench --cold-runs 0 \\",
            "      --plugin runner/src/test/resources/guests/count_vowels.wasm \\",
            "      --function count_vowels --input hello",
        })
final class BenchCommand implements Callable<Integer> {

    /** The example plugin's sample input, the default input of the default plugin. */
    static final String EXAMPLE_INPUT = "example-plugin/bench-input.json";
    private static final FunctionType EXTISM_EXPORT = FunctionType.of(List.of(), List.of(ValType.I32));

    @Spec
    CommandSpec spec;

    @Option(names = "--plugin", paramLabel = "PLUGIN.wasm", description = "Default: example-plugin/dist/plugin.wasm.")
    Path plugin;

    @Option(names = "--with", paramLabel = "TEST.wasm", description = "Default: simulations/dist/test.wasm.")
    Path with;

    @Option(names = "--mock-host", paramLabel = "HOST.wasm", description = "Default: mock-host/dist/host.wasm.")
    Path mockHost;

    @Option(names = "--function", paramLabel = "NAME",
            description = "Export to time (default: the plugin's only Extism export).")
    String function;

    @ArgGroup(exclusive = true)
    CallInput input;

    @Option(names = "--calls", defaultValue = "2000", description = "Timed calls (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--resets", defaultValue = "500", description = "Timed resets (default: ${DEFAULT-VALUE}).")
    int resets;

    @Option(names = "--runs", defaultValue = "30", description = "Timed simulation runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--cold-runs", paramLabel = "N", defaultValue = "5",
            description = "Fresh processes per cold-start and per-call figure; 0 skips them (default: ${DEFAULT-VALUE}).")
    int coldRuns;

    @Option(names = "--count-vowels", paramLabel = "PLUGIN.wasm",
            description = "Plugin for the per-call figures, called as count_vowels "
                    + "(default: runner/src/test/resources/guests/count_vowels.wasm).")
    Path countVowels;

    @Option(names = "--first-calls", paramLabel = "N", defaultValue = "3000",
            description = "Calls in the first-calls figure (default: ${DEFAULT-VALUE}).")
    int firstCalls;

    @Option(names = "--steady-calls", paramLabel = "N", defaultValue = "20000",
            description = "Calls in the steady-state figure (default: ${DEFAULT-VALUE}).")
    int steadyCalls;

    @Option(names = "--js-steady-calls", paramLabel = "N", defaultValue = "5000",
            description = "The JS runtime's steady-state calls; Extism JS 1.0.3 fails past about 7,000 calls on "
                    + "one plugin (default: ${DEFAULT-VALUE}).")
    int jsSteadyCalls;

    @Option(names = "--time-calls", paramLabel = "N",
            description = "Only time the first N calls of --function in this JVM and print "
                    + "{\"calls\":N,\"medianNanos\":M,\"minNanos\":m} (what the per-call figures run).")
    Integer timeCalls;

    @Mixin
    GuestOptions guest;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path home = Path.of(System.getProperty("xtp.sim.home", "."));
        Path pluginFile = plugin != null ? plugin : home.resolve("example-plugin/dist/plugin.wasm");
        byte[] bytes = input != null || plugin != null ? CallInput.bytes(input, new byte[0])
                : Files.readAllBytes(home.resolve(EXAMPLE_INPUT));
        ModuleFiles modules = new ModuleFiles();
        if (timeCalls != null) {
            return timeFirstCalls(out, modules, pluginFile, bytes);
        }
        GuestModule pluginModule = modules.load(pluginFile);
        String timed = timedExport(pluginModule);
        if (timed == null) {
            return ExitCodes.CANNOT_RUN;
        }
        if (coldRuns > 0) {
            coldFigures(out, home);
        }
        Path testFile = with != null ? with : home.resolve("simulations/dist/test.wasm");
        Path hostFile = mockHost != null ? mockHost : home.resolve("mock-host/dist/host.wasm");
        out.println("xtp-sim bench: " + pluginFile + " (" + guest.execution().name().toLowerCase() + "), "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());

        long start = System.nanoTime();
        PluginTemplate template = PluginTemplate.builder(pluginModule)
                .withMockHost(hostFile.toFile().exists() ? modules.load(hostFile) : null)
                .withExecution(guest.execution()).withLimits(guest.limits()).build();
        template.instantiate().close();
        out.printf("load + compile (or compiled-code cache) + first instance   %s%n", ConsoleReporter.formatNanos(System.nanoTime() - start));
        template.warmUp();

        long[] callTimes = new long[calls];
        try (GuestPlugin instance = template.instantiate()) {
            for (int i = 0; i < Math.max(500, calls / 2); i++) {
                instance.call(timed, bytes);
            }
            for (int i = 0; i < calls; i++) {
                long t = System.nanoTime();
                instance.call(timed, bytes);
                callTimes[i] = System.nanoTime() - t;
            }
        }
        out.println("warm call of " + timed + "       " + stats(callTimes));

        long[] resetTimes = new long[resets];
        GuestPlugin current = template.instantiate();
        for (int i = 0; i < resets; i++) {
            long t = System.nanoTime();
            current.close();
            current = template.instantiate();
            resetTimes[i] = System.nanoTime() - t;
        }
        current.close();
        out.println("reset (fresh instance)           " + stats(resetTimes));

        if (testFile.toFile().exists()) {
            Simulation simulation = Simulation.prepare(SimulationSpec.builder(pluginFile, testFile)
                    .withModules(modules)
                    .withMockHost(hostFile.toFile().exists() ? hostFile : null)
                    .withExecution(guest.execution()).withLimits(guest.limits()).build());
            for (int i = 0; i < 5; i++) {
                simulation.run(new SimulationListener() {});
            }
            long[] runTimes = new long[runs];
            SimulationResult last = null;
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                last = simulation.run(new SimulationListener() {});
                runTimes[i] = System.nanoTime() - t;
            }
            out.println("whole simulation (" + (last.passed() + last.failed()) + " asserts)  " + stats(runTimes));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void coldFigures(PrintWriter out, Path home) throws IOException {
        ColdStartBench cold = new ColdStartBench(home, out, coldRuns);
        cold.startUp();
        Path vowels = countVowels != null ? countVowels
                : home.resolve("runner/src/test/resources/guests/count_vowels.wasm");
        JsRuntimeBench js = new JsRuntimeBench(home.resolve("runner/bench/js"), cold.runs());
        java.util.Optional<String> jsMissing = js.missing();
        long first = cold.firstCallsNanos(vowels, "count_vowels", "hello", firstCalls);
        long steady = cold.firstCallsNanos(vowels, "count_vowels", "hello", steadyCalls);
        out.printf("count_vowels(\"hello\"), per-call median in a fresh process (%s)%n", vowels);
        if (jsMissing.isPresent()) {
            out.println("  JS runtime skipped: " + jsMissing.get());
            out.printf("  first %d calls                  xtp-sim %10s%n", firstCalls, ConsoleReporter.formatNanos(first));
            out.printf("  %d calls                       xtp-sim %10s%n", steadyCalls, ConsoleReporter.formatNanos(steady));
        } else {
            long jsFirst = js.medianNanos(vowels, "count_vowels", firstCalls, "hello");
            long jsSteady = js.medianNanos(vowels, "count_vowels", jsSteadyCalls, "hello");
            compare(out, "first " + firstCalls + " calls", first, "first " + firstCalls, jsFirst, 1.0);
            compare(out, steadyCalls + " calls", steady, jsSteadyCalls + " calls", jsSteady, 0.5);
        }
        out.flush();
    }

    private static void compare(PrintWriter out, String ours, long oursNanos, String theirs, long theirsNanos,
            double goal) {
        double ratio = (double) oursNanos / theirsNanos;
        out.printf(java.util.Locale.ROOT, "  %-20s xtp-sim %9s   JS on V8 (%s) %9s   %.2f×  (goal ≤ %s×: %s)%n",
                ours, ConsoleReporter.formatNanos(oursNanos), theirs, ConsoleReporter.formatNanos(theirsNanos), ratio,
                goal == 1.0 ? "1" : "0.5", ratio <= goal ? "met" : "missed");
    }

    /** The export to time (--function, else the only Extism export), or null after saying why there is none. */
    private String timedExport(GuestModule module) {
        if (function == null) {
            return onlyExtismExport(module);
        }
        if (module.exportedFunction(function).isPresent()) {
            return function;
        }
        spec.commandLine().getErr().println("xtp-sim bench: " + module.name() + " has no export named '" + function
                + "' (its exports: " + String.join(", ", module.exportedFunctionNames()) + ")");
        spec.commandLine().getErr().flush();
        return null;
    }

    /**
     * The export to time when --function names none: the plugin's only Extism export, or null
     * after saying which there are.
     */
    private String onlyExtismExport(GuestModule module) {
        List<String> exports = module.exportedFunctionNames().stream()
                .filter(name -> module.exportedFunction(name).orElseThrow().equals(EXTISM_EXPORT))
                .toList();
        if (exports.size() == 1) {
            return exports.get(0);
        }
        spec.commandLine().getErr().println("xtp-sim bench: " + module.name() + (exports.isEmpty()
                ? " has no Extism export (a function () -> i32) to time"
                : " has " + exports.size() + " Extism exports (" + String.join(", ", exports)
                        + "): name the one to time with --function"));
        spec.commandLine().getErr().flush();
        return null;
    }

    /** The per-call figure's inner run: one instance, the first N calls, timed one by one. */
    private Integer timeFirstCalls(PrintWriter out, ModuleFiles modules, Path pluginFile, byte[] bytes) {
        GuestModule module = modules.load(pluginFile);
        String timed = timedExport(module);
        if (timed == null) {
            return ExitCodes.CANNOT_RUN;
        }
        PluginTemplate template = PluginTemplate.builder(module)
                .withMockHost(mockHost == null ? null : modules.load(mockHost))
                .withExecution(guest.execution()).withLimits(guest.limits()).build();
        long[] nanos = new long[timeCalls];
        try (GuestPlugin instance = template.instantiate()) {
            for (int i = 0; i < timeCalls; i++) {
                long t = System.nanoTime();
                instance.call(timed, bytes);
                nanos[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(nanos);
        out.println("{\"calls\":" + timeCalls + ",\"medianNanos\":" + nanos[timeCalls / 2]
                + ",\"minNanos\":" + nanos[0] + "}");
        out.flush();
        return ExitCodes.OK;
    }

    private static String stats(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return "min " + ConsoleReporter.formatNanos(sorted[0])
                + "  median " + ConsoleReporter.formatNanos(sorted[sorted.length / 2])
                + "  p99 " + ConsoleReporter.formatNanos(sorted[Math.min(sorted.length - 1, sorted.length * 99 / 100)])
                + "  (n=" + sorted.length + ")";
    }
}

package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.runner.report.ConsoleReporter;
import dev.hackablemail.runner.sim.Simulation;
import dev.hackablemail.runner.sim.SimulationListener;
import dev.hackablemail.runner.sim.SimulationResult;
import dev.hackablemail.runner.sim.SimulationSpec;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        mixinStandardHelpOptions = true,
        name = "bench",
        header = "Measure the runner: module load, warm call latency, reset cost, a whole simulation.",
        description = {
            "Prints numbers you can compare from run to run (same machine, same load). Defaults measure the "
                    + "example plugin, its mock host and the email simulation of this repository.",
        },
        footerHeading = "%nExample:%n",
        footer = {"  xtp-sim bench --calls 5000 --runs 50"})
final class BenchCommand implements Callable<Integer> {

    private static final String EMAIL = "{\"sender\":\"a@example.com\",\"receiver\":\"b@example.com\","
            + "\"headers\":{\"Subject\":\"Hello\",\"From\":\"a@example.com\"},\"body\":\"What body?\"}";

    @Spec
    CommandSpec spec;

    @Option(names = "--plugin", paramLabel = "PLUGIN.wasm", description = "Default: example-plugin/dist/plugin.wasm.")
    Path plugin;

    @Option(names = "--with", paramLabel = "TEST.wasm", description = "Default: simulations/dist/test.wasm.")
    Path with;

    @Option(names = "--mock-host", paramLabel = "HOST.wasm", description = "Default: mock-host/dist/host.wasm.")
    Path mockHost;

    @Option(names = "--function", defaultValue = "onEmail", description = "Export to time (default: ${DEFAULT-VALUE}).")
    String function;

    @Option(names = "--input", description = "Its input (default: a small IncomingEmail).")
    String input = EMAIL;

    @Option(names = "--calls", defaultValue = "2000", description = "Timed calls (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--resets", defaultValue = "500", description = "Timed resets (default: ${DEFAULT-VALUE}).")
    int resets;

    @Option(names = "--runs", defaultValue = "30", description = "Timed simulation runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Mixin
    GuestOptions guest;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path home = Path.of(System.getProperty("xtp.sim.home", "."));
        Path pluginFile = plugin != null ? plugin : home.resolve("example-plugin/dist/plugin.wasm");
        Path testFile = with != null ? with : home.resolve("simulations/dist/test.wasm");
        Path hostFile = mockHost != null ? mockHost : home.resolve("mock-host/dist/host.wasm");
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        out.println("xtp-sim bench: " + pluginFile + " (" + guest.execution().name().toLowerCase() + "), "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());

        long start = System.nanoTime();
        PluginTemplate template = PluginTemplate.builder(GuestModule.load(pluginFile))
                .withMockHost(hostFile.toFile().exists() ? GuestModule.load(hostFile) : null)
                .withExecution(guest.execution()).withLimits(guest.limits()).build();
        template.instantiate().close();
        out.printf("load + compile + first instance   %s%n", ConsoleReporter.formatNanos(System.nanoTime() - start));
        template.warmUp();

        long[] callTimes = new long[calls];
        try (GuestPlugin instance = template.instantiate()) {
            for (int i = 0; i < Math.max(500, calls / 2); i++) {
                instance.call(function, bytes);
            }
            for (int i = 0; i < calls; i++) {
                long t = System.nanoTime();
                instance.call(function, bytes);
                callTimes[i] = System.nanoTime() - t;
            }
        }
        out.println("warm call of " + function + "       " + stats(callTimes));

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

    private static String stats(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return "min " + ConsoleReporter.formatNanos(sorted[0])
                + "  median " + ConsoleReporter.formatNanos(sorted[sorted.length / 2])
                + "  p99 " + ConsoleReporter.formatNanos(sorted[Math.min(sorted.length - 1, sorted.length * 99 / 100)])
                + "  (n=" + sorted.length + ")";
    }
}

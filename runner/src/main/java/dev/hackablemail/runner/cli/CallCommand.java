package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.guest.GuestCallException;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.runner.report.ConsoleReporter;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        mixinStandardHelpOptions = true,
        name = "call",
        header = "Call one export of a plugin and print its output.",
        description = {
            "Like `extism call`: runs FUNCTION with the given input (none without --input or --input-file) "
                    + "and writes the output to stdout as is. "
                    + "With --repeat N the call runs N times on one instance and the per-call time "
                    + "(min, median, max) goes to stderr.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  xtp-sim call runner/src/test/resources/guests/count_vowels.wasm \\",
            "      count_vowels --input hello",
            "  xtp-sim call plugin.wasm greet --input-file input.json \\",
            "      --mock-host host.wasm --repeat 100",
        })
final class CallCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLUGIN", description = "The plugin (.wasm): a path or an http(s) URL.")
    String plugin;

    @Parameters(index = "1", paramLabel = "FUNCTION", description = "The export to call.")
    String function;

    @ArgGroup(exclusive = true)
    CallInput input;

    @Option(names = "--mock-host", paramLabel = "HOST.wasm",
            description = "A module whose exports serve the plugin's extism:host/user imports: a path or a URL.")
    String mockHost;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "An Extism config value (repeatable).")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Call N times on one instance and report the per-call time (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Mixin
    GuestOptions guest;

    @Mixin
    DownloadOptions downloads;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (repeat < 1) {
            err.println("xtp-sim call: --repeat must be at least 1");
            return ExitCodes.CANNOT_RUN;
        }
        byte[] bytes = CallInput.bytes(input, new byte[0]);
        PluginTemplate template = PluginTemplate.builder(GuestModule.load(downloads.module(plugin)))
                .withMockHost(mockHost == null ? null : GuestModule.load(downloads.module(mockHost)))
                .withConfig(config)
                .withLimits(guest.limits())
                .withExecution(guest.execution())
                .withLog(guest.log(err), guest.level())
                .build();
        long[] nanos = new long[repeat];
        byte[] output = null;
        try (GuestPlugin instance = template.instantiate()) {
            for (int i = 0; i < repeat; i++) {
                long start = System.nanoTime();
                output = instance.call(function, bytes);
                nanos[i] = System.nanoTime() - start;
            }
        } catch (GuestCallException e) {
            err.println("xtp-sim call: " + e.getMessage());
            // no such function is a wrong argument (as for fuzz --export), not a failed call
            return e.kind() == GuestCallException.Kind.MISSING_EXPORT ? ExitCodes.CANNOT_RUN : ExitCodes.FAILED;
        }
        spec.commandLine().getOut().flush();
        System.out.write(output);
        System.out.flush();
        if (repeat > 1) {
            Arrays.sort(nanos);
            err.println();
            err.println(repeat + " calls: min " + ConsoleReporter.formatNanos(nanos[0]) + ", median "
                    + ConsoleReporter.formatNanos(nanos[repeat / 2]) + ", max "
                    + ConsoleReporter.formatNanos(nanos[repeat - 1]));
        }
        err.flush();
        return ExitCodes.OK;
    }
}

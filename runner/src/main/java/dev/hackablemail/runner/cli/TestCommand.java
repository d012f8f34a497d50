package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.guest.ModuleFiles;
import dev.hackablemail.runner.guest.WasiSources;
import dev.hackablemail.runner.project.XtpToml;
import dev.hackablemail.runner.report.ConsoleReporter;
import dev.hackablemail.runner.report.JUnitXmlReport;
import dev.hackablemail.runner.report.JsonReport;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.runner.sim.Simulation;
import dev.hackablemail.runner.sim.SimulationListener;
import dev.hackablemail.runner.sim.SimulationRecord;
import dev.hackablemail.runner.sim.SimulationSetupException;
import dev.hackablemail.runner.sim.SimulationSpec;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        name = "test",
        header = "Run a simulation: a test module drives a plugin, a mock host serves its imports.",
        description = {
            "Runs the test module's `test` export. It calls the plugin through the xtp:test/harness "
                    + "functions and asserts on the results; groups and asserts are printed as they happen.",
            "",
            "With no PLUGIN and no --with, runs every [[test]] of ./xtp.toml (or DIR/xtp.toml with --path), "
                    + "as `xtp plugin test` does: `bin` is the plugin, each test has `with`, `mock_host`, "
                    + "`mock_input = { data | file }` and an optional `build` command run first.",
            "",
            "PLUGIN, --with and --mock-host (and `bin`, `with`, `mock_host` in xtp.toml) may be http(s) URLs: "
                    + "each is downloaded once into the download cache and checked against its SHA-256 on reuse; "
                    + "--offline uses the cache only.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  xtp-sim test example-plugin/dist/plugin.wasm \\",
            "      --with simulations/dist/test.wasm --mock-host mock-host/dist/host.wasm",
            "  xtp-sim test plugin.wasm --with test.wasm --mock-input-data '{\"n\":3}' \\",
            "      --report-junit out.xml",
            "  xtp-sim test --path my-plugin/",
        })
final class TestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PLUGIN",
            description = "The plugin under test (.wasm): a path or an http(s) URL.")
    String plugin;

    @Option(names = "--with", paramLabel = "TEST.wasm", description = "The test module (exports `test`): a path or a URL.")
    String with;

    @Option(names = "--mock-host", paramLabel = "HOST.wasm",
            description = "A module whose exports serve the plugin's extism:host/user imports: a path or a URL.")
    String mockHost;

    static final class MockInput {
        @Option(names = "--mock-input-data", paramLabel = "STRING", description = "What mock_input returns.")
        String data;

        @Option(names = "--mock-input-file", paramLabel = "FILE", description = "A file whose bytes mock_input returns.")
        Path file;
    }

    @ArgGroup(exclusive = true)
    MockInput mockInput;

    @Option(names = "--name", description = "Name of the simulation in reports (default: the test module's file name).")
    String name;

    @Option(names = "--allow-host", paramLabel = "HOST",
            description = "A host the plugin may reach with http_request (repeatable; `*` and `*.example.com` allowed).")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "An Extism config value for the plugin (repeatable).")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--run-timeout", paramLabel = "DURATION", defaultValue = "5m",
            converter = Conversions.DurationConverter.class,
            description = "Wall-time limit of the whole test module run (default: ${DEFAULT-VALUE}).")
    Duration runTimeout;

    @Option(names = "--warm-up", paramLabel = "N", converter = Conversions.CountConverter.class,
            description = "Run the test module N times unobserved before the reported run, so that timed calls "
                    + "measure the plugin rather than the JVM warming up (default: up to 200 runs within 3 s, when "
                    + "the test module imports `time`; none otherwise).")
    Integer warmUp;

    @Option(names = "--seed", paramLabel = "N",
            description = "Make the run repeatable: WASI random bytes come from this seed and WASI clocks start at "
                    + "2000-01-01T00:00:00Z and move 1 ms at every reading (default: the real clock and random bytes). "
                    + "Shown in the header and recorded in the JSON report.")
    Long seed;

    @Option(names = "--path", paramLabel = "DIR", description = "Folder of the xtp.toml to use (default: current folder).")
    Path path;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path reportJson;

    @Option(names = "--report-junit", paramLabel = "FILE", description = "Also write the results as JUnit XML.")
    Path reportJunit;

    @Mixin
    ColorOption color;

    @Mixin
    GuestOptions guest;

    @Mixin
    DownloadOptions downloads;

    /** The run's module files: simulations of one plugin (or one mock host) read it once. */
    private final ModuleFiles modules = new ModuleFiles();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<SimulationSpec> specs;
        if (with == null && plugin == null) {
            specs = fromXtpToml(err);
        } else if (with == null) {
            err.println("xtp-sim test: missing --with TEST.wasm (or give no PLUGIN to run ./xtp.toml)");
            return ExitCodes.CANNOT_RUN;
        } else {
            specs = List.of(apply(SimulationSpec.builder(downloads.module(plugin), downloads.module(with))
                    .withName(name).withMockHost(mockHost == null ? null : downloads.module(mockHost))
                    .withMockInput(mockInputBytes())).build());
        }
        int status = ExitCodes.OK;
        List<SimulationRecord> records = new ArrayList<>();
        ConsoleReporter console = new ConsoleReporter(out, color.enabled());
        for (SimulationSpec simulation : specs) {
            SimulationRecord record = new SimulationRecord();
            try {
                boolean ok = Simulation.prepare(simulation).run(SimulationListener.all(List.of(console, record)))
                        .successful();
                records.add(record);
                status = Math.max(status, ok ? ExitCodes.OK : ExitCodes.FAILED);
            } catch (SimulationSetupException e) {
                err.println("xtp-sim test: " + e.getMessage());
                status = ExitCodes.CANNOT_RUN;
            }
        }
        if (specs.size() > 1) {
            long passed = records.stream().mapToLong(r -> r.result().passed()).sum();
            long failed = records.stream().mapToLong(r -> r.result().failed()).sum();
            out.println("all simulations: " + passed + " passed, " + failed + " failed");
        }
        out.flush();
        // the results are printed first: a report that cannot be written loses none of them
        if (reportJson != null) {
            try {
                JsonReport.write(reportJson, records);
            } catch (IOException e) {
                err.println("xtp-sim test: " + Reasons.writing(reportJson, e) + " (--report-json)");
                status = ExitCodes.CANNOT_RUN;
            }
        }
        if (reportJunit != null) {
            try {
                JUnitXmlReport.write(reportJunit, records);
            } catch (IOException e) {
                err.println("xtp-sim test: " + Reasons.writing(reportJunit, e) + " (--report-junit)");
                status = ExitCodes.CANNOT_RUN;
            }
        }
        err.flush();
        return status;
    }

    private List<SimulationSpec> fromXtpToml(PrintWriter err) {
        Path dir = path == null ? Path.of(".") : path;
        XtpToml project = XtpToml.load(dir.resolve("xtp.toml"), downloads.sources());
        Path bin = project.plugin().orElseThrow(() -> new SimulationSetupException(
                project.file() + ": no `bin` (the plugin to test) and no PLUGIN argument"));
        if (project.tests().isEmpty()) {
            throw new SimulationSetupException(project.file() + ": no [[test]] entries to run");
        }
        List<SimulationSpec> specs = new ArrayList<>();
        for (XtpToml.TestEntry entry : project.tests()) {
            if (entry.build().isPresent()) {
                err.println("building " + entry.name() + ": " + entry.build().get());
                err.flush();
                project.build(entry, System.err);
            }
            specs.add(apply(entry.toSpec(bin)).build());
        }
        return specs;
    }

    private SimulationSpec.Builder apply(SimulationSpec.Builder builder) {
        return builder.withModules(modules).withConfig(config).withAllowedHosts(allowedHosts).withLimits(guest.limits())
                .withRunTimeout(runTimeout).withExecution(guest.execution()).withWarmUpRuns(warmUp)
                .withWasi(seed == null ? WasiSources.REAL : WasiSources.seeded(seed))
                .withLog(guest.log(spec.commandLine().getErr()), guest.level());
    }

    private byte[] mockInputBytes() {
        if (mockInput == null) {
            return null;
        }
        if (mockInput.data != null) {
            return mockInput.data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return Files.readAllBytes(mockInput.file);
        } catch (IOException e) {
            throw new SimulationSetupException("mock input file " + mockInput.file + " cannot be read: "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
    }
}

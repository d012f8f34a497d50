package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.fuzz.FailureFiles;
import dev.hackablemail.runner.fuzz.FuzzFailure;
import dev.hackablemail.runner.fuzz.FuzzListener;
import dev.hackablemail.runner.fuzz.FuzzReportJson;
import dev.hackablemail.runner.fuzz.FuzzResult;
import dev.hackablemail.runner.fuzz.FuzzSetupException;
import dev.hackablemail.runner.fuzz.Fuzzer;
import dev.hackablemail.runner.fuzz.Property;
import dev.hackablemail.runner.fuzz.SchemaFiles;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.schema.cli.ExitCodes;
import dev.hackablemail.schema.xtp.Schema;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        mixinStandardHelpOptions = true,
        name = "fuzz",
        header = "Fuzz an export of a plugin with inputs generated from its XTP schema.",
        description = {
            "Calls the export with inputs generated from the schema's input type (every property, maps with many "
                    + "keys, empty and very long strings, every UTF-8 length, control characters, numbers at their "
                    + "edges, and the words found in the plugin's data segments). Host imports are served by the mock "
                    + "host, or else answered with generated values of their output type (failure codes included); "
                    + "every payload the plugin passes to the host is checked against the schema.",
            "",
            "A failure is a trap or an error, a timeout or a limit, output that does not match the schema, a host "
                    + "payload that does not match it, or a second call with the same input and host answers giving "
                    + "a different result. Each failure is shrunk to a small input, printed with the command that "
                    + "replays it and saved as JSON. Results go to stdout, progress and timing to stderr.",
        },
        defaultValueProvider = FuzzCommand.Defaults.class,
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:no failure found within the budget (or the replayed input passes)",
            "1:a failing input was found (or the replayed input fails)",
            "2:it could not run: bad arguments, a missing or invalid module or schema, an unknown export",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  xtp-sim fuzz plugin.wasm --schema schema.yaml",
            "  xtp-sim fuzz plugin.wasm --schema schema.yaml --export greet \\",
            "      --mock-host host.wasm --runs 2000 --time 1m --seed 7",
            "  xtp-sim fuzz plugin.wasm --schema schema.yaml \\",
            "      --replay fuzz-failures/greet-no-trap-or-error.json",
        })
final class FuzzCommand implements Callable<Integer> {

    private static final int MAX_PRINTED_INPUT = 2000;
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLUGIN", description = "The plugin (.wasm).")
    Path plugin;

    @Option(names = "--schema", paramLabel = "SCHEMA.yaml", required = true,
            description = "The XTP schema whose types drive the inputs and check the outputs.")
    Path schemaFile;

    @Option(names = "--export", paramLabel = "NAME",
            description = "The export to fuzz (default: the schema's only export).")
    String export;

    @Option(names = "--mock-host", paramLabel = "HOST.wasm",
            description = "A module whose exports serve the plugin's host imports (default: answers generated "
                    + "from the schema).")
    Path mockHost;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + Fuzzer.DEFAULT_RUNS,
            description = "Run at most N inputs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", paramLabel = "N",
            description = "The seed; the same seed runs the same inputs (default: a random one, printed).")
    Long seed;

    @Option(names = "--time", paramLabel = "DURATION", defaultValue = "5s",
            converter = Conversions.DurationConverter.class,
            description = "Run inputs for at most this long (default: ${DEFAULT-VALUE}); shrinking comes on top.")
    Duration time;

    @Option(names = "--shrink-time", paramLabel = "DURATION", defaultValue = "5s",
            converter = Conversions.DurationConverter.class,
            description = "Shrink each failure for at most this long (default: ${DEFAULT-VALUE}).")
    Duration shrinkTime;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "An Extism config value (repeatable).")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path reportJson;

    @Option(names = "--save-dir", paramLabel = "DIR",
            description = "Where failing inputs are saved (default: beside --report-json, else fuzz-failures).")
    Path saveDir;

    @Option(names = "--replay", paramLabel = "FILE",
            description = "Run one saved failing input (a file this command saved) instead of fuzzing.")
    Path replay;

    @Mixin
    GuestOptions guest;

    /** Fuzzing wants a shorter call timeout than the other commands: an event handler must be quick. */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec argSpec) {
            if (argSpec instanceof OptionSpec option && option.longestName().equals("--timeout")) {
                return describe(Fuzzer.DEFAULT_TIMEOUT);
            }
            return null;
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (runs < 1) {
            err.println("xtp-sim fuzz: --runs must be at least 1");
            return ExitCodes.CANNOT_RUN;
        }
        long effectiveSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 31);
        Fuzzer fuzzer;
        try {
            Schema schema = SchemaFiles.load(schemaFile);
            fuzzer = Fuzzer.builder(GuestModule.load(plugin), schema)
                    .export(export)
                    .mockHost(mockHost == null ? null : GuestModule.load(mockHost))
                    .config(config)
                    .limits(guest.limits())
                    .execution(guest.execution())
                    .log(guest.log(err), guest.level())
                    .runs(runs)
                    .seed(effectiveSeed)
                    .time(time)
                    .shrinkTime(shrinkTime)
                    .build();
        } catch (FuzzSetupException e) {
            err.println("xtp-sim fuzz: " + e.getMessage());
            return ExitCodes.CANNOT_RUN;
        }
        if (replay != null) {
            return replay(fuzzer, out, err);
        }
        err.println("fuzz: " + fuzzer.export() + " of " + plugin + ", seed " + effectiveSeed + ", up to " + runs
                + " inputs in " + describe(time) + (mockHost == null ? ", host answers from the schema"
                        : ", mock host " + mockHost));
        err.flush();
        FuzzResult result = fuzzer.run(new Progress(err));
        List<String> writeErrors = new ArrayList<>();
        Map<Property, Path> saved = save(result, writeErrors);
        print(result, saved, out);
        err.printf("fuzz: %d inputs in %.2f s (%.0f inputs/s), shrinking %.2f s%n", result.runs(),
                result.fuzzNanos() / 1e9, result.inputsPerSecond(), result.shrinkNanos() / 1e9);
        if (reportJson != null) {
            try {
                FuzzReportJson.write(reportJson, FuzzReportJson.toJson(plugin.toString(), schemaFile.toString(),
                        result, saved));
            } catch (IOException e) {
                writeErrors.add(Reasons.writing(reportJson, e) + " (--report-json)");
            }
        }
        // after the results: a file that cannot be written loses none of them
        writeErrors.forEach(e -> err.println("xtp-sim fuzz: " + e));
        err.flush();
        if (!result.passed()) {
            return ExitCodes.FAILED;
        }
        return writeErrors.isEmpty() ? ExitCodes.OK : ExitCodes.CANNOT_RUN;
    }

    private int replay(Fuzzer fuzzer, PrintWriter out, PrintWriter err) {
        FailureFiles.Saved saved;
        try {
            saved = FailureFiles.read(replay);
        } catch (FuzzSetupException e) {
            err.println("xtp-sim fuzz: " + e.getMessage());
            return ExitCodes.CANNOT_RUN;
        }
        Optional<FuzzFailure> failure = fuzzer.replay(saved.input(), saved.hostSeed());
        if (failure.isEmpty()) {
            out.println("✓ " + replay + ": the input passes every property");
            out.flush();
            return ExitCodes.OK;
        }
        out.println("✗ " + failure.get().property().title());
        out.println("    " + failure.get().message());
        out.flush();
        return ExitCodes.FAILED;
    }

    /** Saves each failure; one that cannot be saved is left out, its reason added to {@code errors}. */
    private Map<Property, Path> save(FuzzResult result, List<String> errors) {
        Path dir = saveDir != null ? saveDir
                : reportJson != null ? reportJson.toAbsolutePath().getParent() : Path.of("fuzz-failures");
        Map<Property, Path> saved = new EnumMap<>(Property.class);
        for (FuzzFailure failure : result.failures()) {
            Path file = FailureFiles.file(dir, result, failure);
            try {
                FailureFiles.save(dir, result, failure);
                saved.put(failure.property(), file);
            } catch (IOException e) {
                errors.add(Reasons.writing(file, e) + " (the failing input; --save-dir picks the folder)");
            }
        }
        return saved;
    }

    private void print(FuzzResult result, Map<Property, Path> saved, PrintWriter out) {
        out.println("fuzz " + result.export() + " (" + plugin + ", schema " + schemaFile + ", seed " + result.seed()
                + ", " + result.runs() + " inputs)");
        for (Property property : Property.values()) {
            Optional<FuzzFailure> failure = result.failures().stream().filter(f -> f.property() == property)
                    .findFirst();
            if (failure.isEmpty()) {
                out.println("  ✓ " + property.title());
                continue;
            }
            FuzzFailure f = failure.get();
            Path file = saved.get(property);
            out.println("  ✗ " + property.title() + " (input " + f.caseNumber() + ", shrunk from " + f.originalBytes()
                    + " to " + f.inputBytes() + " bytes)");
            out.println("      " + f.message());
            out.println("      input: " + f.inputText(MAX_PRINTED_INPUT));
            if (file != null) {
                out.println("      saved: " + file);
                out.println("      replay: " + command("--replay", file.toString()));
            } else {
                out.println("      saved: no (see the error below)");
            }
            out.println("      rerun:  " + command("--seed", Long.toString(result.seed()), "--runs",
                    Integer.toString(result.runs())));
        }
        long failed = result.failures().size();
        out.println(failed == 0 ? "no failure in " + result.runs() + " inputs"
                : failed + " of " + Property.values().length + " properties failed");
        out.flush();
    }

    /** The command line that reruns this one with {@code extra} arguments. */
    private String command(String... extra) {
        List<String> args = new ArrayList<>(List.of("xtp-sim", "fuzz", plugin.toString(), "--schema",
                schemaFile.toString()));
        if (export != null) {
            args.addAll(List.of("--export", export));
        }
        if (mockHost != null) {
            args.addAll(List.of("--mock-host", mockHost.toString()));
        }
        config.forEach((k, v) -> args.addAll(List.of("--config", k + "=" + v)));
        args.addAll(List.of("--timeout", describe(guest.timeout)));
        if (guest.interpreter) {
            args.add("--interpreter");
        }
        args.addAll(List.of(extra));
        return String.join(" ", args.stream().map(FuzzCommand::quote).toList());
    }

    private static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_./=:@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Progress on stderr: each failure when found, a count at most once a second. */
    private static final class Progress implements FuzzListener {
        private final PrintWriter err;
        private long lastPrint;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void progress(int runs, long elapsedNanos) {
            if (elapsedNanos - lastPrint >= PROGRESS_EVERY_NANOS) {
                lastPrint = elapsedNanos;
                err.printf("fuzz: %d inputs, %.1f s%n", runs, elapsedNanos / 1e9);
                err.flush();
            }
        }

        @Override
        public void found(Property property, int caseNumber, String message) {
            err.println("fuzz: input " + caseNumber + " breaks '" + property.title() + "': " + message);
            err.flush();
        }

        @Override
        public void shrunk(FuzzFailure failure, long nanos) {
            err.printf("fuzz: shrank '%s' from %d to %d bytes in %d attempts, %.2f s%n", failure.property().title(),
                    failure.originalBytes(), failure.inputBytes(), failure.shrinkAttempts(), nanos / 1e9);
            err.flush();
        }
    }
}

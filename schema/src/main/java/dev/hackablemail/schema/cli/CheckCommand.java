package dev.hackablemail.schema.cli;

import dev.hackablemail.schema.wasm.PluginChecker;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code check PLUGIN.wasm --schema SCHEMA.yaml}: does the plugin fit the extension point? */
@Command(
        name = "check",
        header = "Check a plugin's Wasm module against an XTP schema.",
        description = {
            "",
            "Reads the plugin's imports and exports (the plugin is not run) and lists",
            "every problem at once, one a line, then a summary line. The rules:",
            "  - each export of the schema is a function () -> i32, as Extism's ABI",
            "    wants;",
            "  - each import from extism:host/user is a host function the schema",
            "    declares, of type (i64) -> i64 (no parameter when the schema declares",
            "    no input, no result when it declares no output);",
            "  - nothing is imported from modules other than extism:host/user,",
            "    extism:host/env (the Extism kernel) and wasi_snapshot_preview1 (WASI).",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  xtp-sim check plugin.wasm --schema schema.yaml",
            "  xtp-sim check dist/plugin.wasm -s ../schema.yaml"
        })
public final class CheckCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(index = "0", paramLabel = "PLUGIN.wasm", description = "The plugin's Wasm module.")
    private Path plugin;

    @Option(names = {"-s", "--schema"}, required = true, paramLabel = "SCHEMA.yaml",
            description = "The XTP schema of the extension point the plugin implements.")
    private Path schemaFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            SchemaResult result = Inputs.schema(schemaFile);
            if (!result.isValid()) {
                result.problems().forEach(err::println);
                err.println("error: " + schemaFile + " is not a valid schema ("
                        + Inputs.plural(result.problems().size(), "problem") + "); fix it first,"
                        + " see: schema validate " + schemaFile);
                return ExitCodes.CANNOT_RUN;
            }
            Schema schema = result.schema();
            List<String> problems = PluginChecker.check(schema, Inputs.bytes(plugin), plugin.toString());
            problems.forEach(out::println);
            if (problems.isEmpty()) {
                out.println(plugin + ": fits " + schemaFile + " ("
                        + Inputs.plural(schema.exports().size(), "export") + ", "
                        + Inputs.plural(schema.imports().size(), "host function") + " declared)");
                return ExitCodes.OK;
            }
            out.println(plugin + ": " + Inputs.plural(problems.size(), "problem") + " against " + schemaFile);
            return ExitCodes.FAILED;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.CANNOT_RUN;
        } finally {
            out.flush();
            err.flush();
        }
    }
}

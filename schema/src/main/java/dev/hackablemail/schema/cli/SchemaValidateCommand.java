package dev.hackablemail.schema.cli;

import dev.hackablemail.schema.xtp.Problem;
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

/** {@code schema validate SCHEMA.yaml...}: lists every problem of each schema file. */
@Command(
        name = "validate",
        header = "Check XTP schema files and list every problem.",
        description = {
            "",
            "Reads each file as an XTP schema (version v1-draft or v0) and lists every",
            "problem at once, one a line, as FILE:LINE:COLUMN: PATH: MESSAGE, where PATH",
            "names the value (e.g. exports.greet.input.$ref). Then a summary line.",
            "",
            "Checked: the shape of the file (unknown keys, values of the wrong kind), types",
            "and formats, names (letters, digits, _ and $; no reserved words), contentTypes,",
            "$refs that name no schema, required names that are not properties, and",
            "reference cycles that no finite value can satisfy (every step required and",
            "not nullable; optional or nullable recursion is fine).",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  xtp-sim schema validate schema.yaml",
            "  xtp-sim schema validate schemas/*.yaml"
        })
public final class SchemaValidateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(paramLabel = "SCHEMA.yaml", arity = "1..*", description = "The schema files to check.")
    private List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int exit = ExitCodes.OK;
        for (Path file : files) {
            SchemaResult result;
            try {
                result = Inputs.schema(file);
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                exit = Math.max(exit, ExitCodes.CANNOT_RUN);
                continue;
            }
            for (Problem p : result.problems()) {
                out.println(p);
            }
            if (result.isValid()) {
                out.println(file + ": valid " + summary(result.schema()));
            } else {
                out.println(file + ": " + Inputs.plural(result.problems().size(), "problem"));
                exit = Math.max(exit, ExitCodes.FAILED);
            }
        }
        out.flush();
        err.flush();
        return exit;
    }

    private static String summary(Schema s) {
        return "XTP schema " + s.version() + " (" + Inputs.plural(s.exports().size(), "export") + ", "
                + Inputs.plural(s.imports().size(), "import") + ", " + Inputs.plural(s.types().size(), "type") + ")";
    }
}

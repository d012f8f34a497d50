package dev.hackablemail.schema.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code schema}: the group of schema commands; on its own it prints its usage. */
@Command(
        name = "schema",
        subcommands = {SchemaValidateCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        header = "Work with XTP schemas, the contracts between a host and its plugins.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  Check a schema file, listing every problem with its line:",
            "    xtp-sim schema validate schema.yaml"
        })
public final class SchemaCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Missing command: try 'validate'.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.CANNOT_RUN;
    }
}

package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.guest.CompiledCodeCache;
import dev.hackablemail.runner.guest.GuestLoadException;
import dev.hackablemail.runner.project.XtpTomlException;
import dev.hackablemail.runner.sim.SimulationSetupException;
import dev.hackablemail.schema.cli.CheckCommand;
import dev.hackablemail.schema.cli.SchemaCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code xtp-sim}: test Extism plugins against simulations, on Chicory, without native code. */
@Command(
        name = "xtp-sim",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        header = "Simulate Extism plugins: run xtp-test modules against a plugin and a mock host.",
        description = {
            "A Java counterpart of `xtp plugin test`: runs test modules written with any xtp-test library "
                    + "(Go, JS, Rust, Zig, C...) against a plugin whose host imports are served by a mock host "
                    + "module, on the Chicory Wasm runtime (pure Java).",
        },
        subcommands = {
            TestCommand.class,
            CallCommand.class,
            CheckCommand.class,
            PluginCommand.class,
            SchemaCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class,
        },
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nRun `xtp-sim help COMMAND` for a command's options.%n")
public final class XtpSim implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line; bad arguments (picocli) and every setup failure (the handler) exit 2. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new XtpSim());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandSpec().qualifiedName();
            if (e instanceof GuestLoadException || e instanceof SimulationSetupException
                    || e instanceof XtpTomlException) {
                commandLine.getErr().println(command + ": " + e.getMessage());
            } else if (e instanceof IOException || e instanceof UncheckedIOException) {
                commandLine.getErr().println(command + ": " + e.getMessage());
            } else {
                commandLine.getErr().println(command + ": internal error: " + e);
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return ExitCodes.CANNOT_RUN;
        });
        return cli;
    }

    public static void main(String[] args) {
        // Compiled Wasm outlives the process: the next run loads it instead of compiling again.
        CompiledCodeCache.useUserDirectory();
        System.exit(commandLine().execute(args));
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = XtpSim.class.getPackage().getImplementationVersion();
            return new String[] {"xtp-sim " + (version == null ? "(development build)" : version)};
        }
    }
}

package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.guest.CompiledCodeCache;
import dev.hackablemail.runner.guest.GuestLoadException;
import dev.hackablemail.runner.project.ModuleSourceException;
import dev.hackablemail.runner.project.XtpTomlException;
import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.runner.sim.SimulationSetupException;
import dev.hackablemail.schema.cli.CheckCommand;
import dev.hackablemail.schema.cli.ExitCodes;
import dev.hackablemail.schema.cli.WholeNumbers;
import dev.hackablemail.schema.cli.SchemaCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nRun `xtp-sim help COMMAND` for a command's options.%n")
public final class XtpSim implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The subcommands by name, in the order help lists them. Picocli reads each command's
     * annotations (reflection) when it is added, which costs more than the JVM's own start,
     * so a run adds only the one it runs (see {@link #commandLine(String...)}).
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("test", TestCommand.class);
        commands.put("call", CallCommand.class);
        commands.put("check", CheckCommand.class);
        commands.put("plugin", PluginCommand.class);
        commands.put("schema", SchemaCommand.class);
        commands.put("bench", BenchCommand.class);
        commands.put("fuzz", FuzzCommand.class);
        commands.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(commands);
    }

    /**
     * The whole command line; bad arguments (picocli) and every setup failure (the handler) exit 2.
     * Every command's help ends with the exit codes ({@link ExitCodes#XTP_SIM}).
     */
    public static CommandLine commandLine() {
        return withSubcommands(SUBCOMMANDS.keySet());
    }

    /**
     * The command line for these arguments: with only the subcommand they name, or none for
     * {@code --version}; the whole tree when they need it (help, no command, an unknown one).
     */
    public static CommandLine commandLine(String... args) {
        if (args.length > 0 && (args[0].equals("-V") || args[0].equals("--version"))) {
            return withSubcommands(List.of());
        }
        if (args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
            return withSubcommands(List.of(args[0]));
        }
        return commandLine();
    }

    private static CommandLine withSubcommands(Collection<String> names) {
        CommandLine cli = new CommandLine(new XtpSim());
        for (String name : names) {
            cli.addSubcommand(name, SUBCOMMANDS.get(name));
        }
        ExitCodes.showIn(cli, ExitCodes.XTP_SIM);
        WholeNumbers.register(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandSpec().qualifiedName();
            if (e instanceof GuestLoadException || e instanceof SimulationSetupException
                    || e instanceof XtpTomlException || e instanceof ModuleSourceException) {
                commandLine.getErr().println(command + ": " + e.getMessage());
            } else if (e instanceof IOException || e instanceof UncheckedIOException) {
                // an UncheckedIOException made of a cause alone has the cause's class name as message
                commandLine.getErr().println(command + ": " + Reasons.of(e));
            } else {
                // a bug of ours: the reason, and the stack trace only when asked for (XTP_SIM_DEBUG=1)
                commandLine.getErr().println(command + ": internal error (please report it): " + Reasons.of(e));
                if (System.getenv("XTP_SIM_DEBUG") != null) {
                    e.printStackTrace(commandLine.getErr());
                }
            }
            commandLine.getErr().flush();
            return ExitCodes.CANNOT_RUN;
        });
        return cli;
    }

    /**
     * Whether the arguments only ask for the version. Picocli loads almost two hundred
     * classes of its own, in a class format older than Java 6 that no class archive can
     * hold, which would take most of a {@code --version} run; the version needs none of it.
     */
    static boolean onlyVersion(String... args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    public static void main(String[] args) {
        if (onlyVersion(args)) {
            for (String line : new Version().getVersion()) {
                System.out.println(line);
            }
            System.exit(ExitCodes.OK);
        }
        // Compiled Wasm outlives the process: the next run loads it instead of compiling again.
        CompiledCodeCache.useUserDirectory();
        System.exit(commandLine(args).execute(args));
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

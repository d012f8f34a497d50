package dev.hackablemail.service;

import dev.hackablemail.runner.report.Reasons;
import dev.hackablemail.schema.cli.ExitCodes;
import dev.hackablemail.schema.cli.WholeNumbers;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The push service's command line, run by {@code bin/hackable-email serve ...},
 * {@code bin/hackable-email plugin ...} and {@code bin/hackable-email store ...} (the launcher
 * dispatches those words to this jar).
 */
@Command(
        name = "hackable-email",
        mixinStandardHelpOptions = true,
        versionProvider = ServiceMain.Version.class,
        header = "The hackable-email push service: guests push their own plugins; nothing that fails its "
                + "simulations reaches production.",
        subcommands = {
            ServeCommand.class,
            AdminCommand.class,
            StoreCommand.class,
            CommandLine.HelpCommand.class,
        },
        synopsisSubcommandLabel = "COMMAND")
public final class ServiceMain implements Runnable {

    /** Done: the plugin is active, listed, rolled back, removed; the server stopped cleanly. */
    static final int OK = 0;
    /** The plugin was rejected: it failed the schema check or a simulation, or it is too large. */
    static final int REJECTED = 1;
    /** Nothing was done: bad arguments, a broken configuration or store, an unknown version, busy, an error. */
    static final int CANNOT_RUN = 2;

    /**
     * The table {@code --help} shows. The admin commands print the push service's answers with
     * xtp-sim's {@code PluginOutput}, so {@code hackable-email plugin push} and
     * {@code xtp-sim plugin push} exit alike.
     */
    static final Map<String, String> EXIT_CODES = ExitCodes.table(
            OK, "done: the plugin is active, listed, rolled back, removed or its token revoked; the server stopped",
            REJECTED, "rejected: the plugin failed the schema check or a simulation, or it is too large",
            CANNOT_RUN, "nothing done: bad arguments, a broken configuration or store, an unknown version, busy, "
                    + "or another error (one line on standard error)");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line; a configuration error or any other failure exits 2 with one line. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ServiceMain());
        ExitCodes.showIn(cli, EXIT_CODES);
        WholeNumbers.register(cli);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandSpec().qualifiedName();
            if (e instanceof ServiceConfig.ConfigException) {
                commandLine.getErr().println(command + ": " + e.getMessage());
            } else if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println(command + ": " + Reasons.of(e));
            } else {
                // a bug of ours: the reason, and the stack trace only when asked for (HACKABLE_EMAIL_DEBUG=1)
                commandLine.getErr().println(command + ": internal error (please report it): " + Reasons.of(e));
                if (System.getenv("HACKABLE_EMAIL_DEBUG") != null) {
                    e.printStackTrace(commandLine.getErr());
                }
            }
            commandLine.getErr().flush();
            return CANNOT_RUN;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ServiceMain.class.getPackage().getImplementationVersion();
            return new String[] {"hackable-email push service " + (version == null ? "(development build)" : version)};
        }
    }
}

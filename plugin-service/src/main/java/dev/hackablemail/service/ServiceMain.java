package dev.hackablemail.service;

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

    /** Exit codes: done; the plugin was rejected; nothing done (arguments, configuration, store, server). */
    static final int OK = 0;
    static final int REJECTED = 1;
    static final int FAILED = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line; a configuration error or any other failure exits 2 with one line. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ServiceMain());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandSpec().qualifiedName();
            if (e instanceof ServiceConfig.ConfigException) {
                commandLine.getErr().println(command + ": " + e.getMessage());
            } else if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println(command + ": " + e);
            } else {
                commandLine.getErr().println(command + ": internal error: " + e);
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return FAILED;
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

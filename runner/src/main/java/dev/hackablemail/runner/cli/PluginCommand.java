package dev.hackablemail.runner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code xtp-sim plugin}: a plugin author's side of the hackable-email push service. The
 * loop is: write the plugin, {@code xtp-sim test} it, {@code xtp-sim plugin push} it; the
 * server runs the same checks and simulations again and activates it only if all pass.
 */
@Command(
        name = "plugin",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        header = "Create and build a plugin project; push your plugin to a hackable-email server; list its versions, "
                + "roll back, remove it.",
        description = {
            "The server checks a pushed plugin against the extension point's schema, runs its contract simulation "
                    + "(the rules every plugin honours), fuzzes it, then runs the simulations you pushed with it; only "
                    + "a plugin that passes them all becomes active, at once for the next call. `checks` downloads "
                    + "the server's checks and runs them locally first. Authenticate with the token of your signup "
                    + "invitation.",
        },
        subcommands = {
            PluginInitCommand.class,
            PluginBuildCommand.class,
            PluginPushCommand.class,
            PluginListCommand.class,
            PluginRollbackCommand.class,
            PluginRemoveCommand.class,
            PluginChecksCommand.class,
            CommandLine.HelpCommand.class,
        },
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nExamples:%n",
        footer = {
            "  export HACKABLE_EMAIL_TOKEN=...   # from your invitation",
            "  xtp-sim plugin checks --server http://push.example.com:8025 plugin.wasm",
            "  xtp-sim plugin push plugin.wasm --server http://push.example.com:8025",
            "  xtp-sim plugin push plugin.wasm --simulation my-test.wasm \\",
            "      --server http://push.example.com:8025",
            "  xtp-sim plugin list --server http://push.example.com:8025",
            "  xtp-sim plugin rollback 2 --server http://push.example.com:8025",
        })
public final class PluginCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

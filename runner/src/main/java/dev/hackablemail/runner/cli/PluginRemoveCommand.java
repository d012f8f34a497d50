package dev.hackablemail.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "remove",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        header = "Remove your active plugin: none runs for you any more. Its versions are kept for a rollback.")
final class PluginRemoveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PluginClient.Options server;

    @Override
    public Integer call() {
        return PluginClient.run(server, spec.commandLine().getOut(), spec.commandLine().getErr(),
                client -> client.send("DELETE", "", null, null));
    }
}

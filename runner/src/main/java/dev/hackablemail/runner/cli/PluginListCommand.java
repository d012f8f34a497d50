package dev.hackablemail.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        header = "List your plugin's versions: digest, time, simulation results, and which one is active.")
final class PluginListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PluginClient.Options server;

    @Override
    public Integer call() {
        return PluginClient.run(server, spec.commandLine().getOut(), spec.commandLine().getErr(),
                client -> client.send("GET", "", null, null));
    }
}

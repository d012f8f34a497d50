package dev.hackablemail.runner.cli;

import dev.hackablemail.schema.cli.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        header = "Make an earlier version of your plugin active again (it must still pass today's simulations).")
final class PluginRollbackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VERSION", description = "The version number, as `plugin list` shows it.")
    int version;

    @Mixin
    PluginClient.Options server;

    @Override
    public Integer call() {
        if (version < 1) {
            spec.commandLine().getErr().println("xtp-sim plugin rollback: VERSION must be 1 or more");
            spec.commandLine().getErr().flush();
            return ExitCodes.CANNOT_RUN;
        }
        byte[] body = ("{\"version\":" + version + "}").getBytes(StandardCharsets.UTF_8);
        return PluginClient.run(server, spec.commandLine().getOut(), spec.commandLine().getErr(),
                client -> client.send("POST", "/rollback", body, "application/json"));
    }
}

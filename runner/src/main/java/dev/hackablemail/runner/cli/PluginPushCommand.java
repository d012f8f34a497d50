package dev.hackablemail.runner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "push",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        header = "Upload a plugin: if it passes the server's checks and simulations, it is your active plugin from now on.",
        description = {
            "Prints the version it became and each simulation's counts; when it is rejected, prints every failed "
                    + "check and assert, and your active plugin stays as it was.",
        })
final class PluginPushCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLUGIN.wasm", description = "The plugin to push.")
    Path plugin;

    @Mixin
    PluginClient.Options server;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return PluginClient.run(server, out, err, client -> {
            byte[] wasm;
            try {
                wasm = Files.readAllBytes(plugin);
            } catch (NoSuchFileException e) {
                throw new PluginClient.ClientException(plugin + ": no such file");
            } catch (IOException e) {
                throw new PluginClient.ClientException(plugin + " cannot be read: " + e.getMessage());
            }
            return client.send("POST", "", wasm, PluginClient.WASM_TYPE);
        });
    }
}

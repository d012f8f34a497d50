package dev.hackablemail.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "push",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        header = "Upload a plugin: if it passes the server's checks and simulations, it is your active plugin from now on.",
        description = {
            "The server checks the plugin against the extension point's schema, runs its own simulations (the "
                    + "contract every plugin honours), fuzzes it, then runs the simulations and test cases "
                    + "you push with it (--simulation, --cases): they can only add checks. Those files are kept with the version, and a "
                    + "rollback runs them again. `xtp-sim plugin checks` downloads the server's checks to run them "
                    + "first.",
            "Prints the version it became and each check's counts; when it is rejected, prints every failed "
                    + "check and assert, each naming its check, and your active plugin stays as it was.",
        })
final class PluginPushCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLUGIN.wasm", description = "The plugin to push.")
    Path plugin;

    @Option(names = "--simulation", paramLabel = "TEST.wasm",
            description = "A simulation (xtp-test module) of your plugin's own behaviour, pushed with it and run "
                    + "after the server's checks. Repeatable.")
    List<Path> simulations = new ArrayList<>();

    @Option(names = "--mock-host", paramLabel = "HOST.wasm",
            description = "The mock host your simulations use (default: the server's, as `xtp-sim plugin checks` "
                    + "downloads it).")
    Path mockHost;

    @Option(names = "--cases", paramLabel = "FILE.cases.yaml",
            description = "Test cases of your plugin (a *.cases.yaml file: `hackable-email try --cases` runs it "
                    + "locally), run after the server's checks by the server's own host, which sends nothing. A "
                    + "pushed file carries its inputs inline ('headers' and 'body', not 'message'). Repeatable.")
    List<Path> cases = new ArrayList<>();

    @Mixin
    PluginClient.Options server;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return PluginClient.run(server, out, err, client -> {
            MultipartBody body = new MultipartBody().file("plugin", plugin);
            for (Path sim : simulations) {
                body.file("simulation", sim);
            }
            if (mockHost != null) {
                body.file("mock_host", mockHost);
            }
            for (Path c : cases) {
                body.file("cases", c);
            }
            return client.send("POST", "", body.bytes(), body.contentType());
        });
    }
}

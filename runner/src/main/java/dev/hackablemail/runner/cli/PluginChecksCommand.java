package dev.hackablemail.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.runner.push.PushAnswer;
import dev.hackablemail.schema.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xtp-sim plugin checks}: downloads the server's own checks (its schema, the simulations it
 * runs on every plugin with their mock hosts, its fuzzing budget and limits) from
 * {@code GET /api/v1/checks}, and runs them on a plugin when one is given: "passes locally" then
 * means "passes the server's checks at the push".
 */
@Command(
        name = "checks",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        header = "Download the server's checks (schema, contract simulation, mock host) and run them on your plugin.",
        description = {
            "Saves the files the server checks every pushed plugin with into DIR, then prints the commands that "
                    + "run them. With PLUGIN.wasm, also runs them, as the server would at a push: the schema check, "
                    + "each of the server's simulations (under its limits), and the fuzzing (its budget and seed). "
                    + "Exit 0 when all pass, 1 when one fails, 2 when they could not be downloaded or run.",
            "Your own simulations are yours to run (`xtp-sim test`); push them with `xtp-sim plugin push "
                    + "--simulation`.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  xtp-sim plugin checks --server https://push.example.com:8025",
            "  xtp-sim plugin checks --server https://push.example.com:8025 plugin.wasm",
        })
final class PluginChecksCommand implements Callable<Integer> {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PLUGIN.wasm",
            description = "Run the checks on this plugin after downloading them.")
    Path plugin;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:" + PluginClient.SERVER_ENV + "}",
            description = "The push service (default: $" + PluginClient.SERVER_ENV + "). No token needed.")
    String server;

    @Option(names = "--into", paramLabel = "DIR", defaultValue = "server-checks",
            description = "Where to save the files (default: ${DEFAULT-VALUE}).")
    Path into;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String[]> commands;
        try {
            commands = download(out);
        } catch (PluginClient.ClientException e) {
            err.println("xtp-sim plugin checks: " + e.getMessage());
            err.flush();
            return ExitCodes.CANNOT_RUN;
        }
        String target = plugin == null ? "PLUGIN.wasm" : plugin.toString();
        out.println(plugin == null ? "run them on your plugin (what the server runs at a push):"
                : "running them on " + plugin + " (what the server runs at a push):");
        for (String[] command : commands) {
            out.println("  xtp-sim " + String.join(" ", command).replace("PLUGIN.wasm", target));
        }
        out.flush();
        if (plugin == null) {
            return ExitCodes.OK;
        }
        int worst = ExitCodes.OK;
        for (String[] command : commands) {
            String[] args = command.clone();
            for (int i = 0; i < args.length; i++) {
                args[i] = args[i].equals("PLUGIN.wasm") ? plugin.toString() : args[i];
            }
            out.println();
            out.println("$ xtp-sim " + String.join(" ", args));
            out.flush();
            int code = XtpSim.commandLine(args).setOut(out).setErr(err).execute(args);
            worst = Math.max(worst, code);
        }
        out.println();
        out.println(worst == ExitCodes.OK ? "the server's checks pass: push it with `xtp-sim plugin push " + plugin
                + " --server " + server + "`"
                : "the server's checks do not pass (see above): a push would be rejected");
        out.flush();
        return worst;
    }

    /** Saves the manifest's files into {@code into}; returns the commands that run them (plugin: PLUGIN.wasm). */
    private List<String[]> download(PrintWriter out) throws PluginClient.ClientException {
        URI base = PluginClient.base(server);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        JsonNode manifest;
        try {
            manifest = PushAnswer.JSON.readTree(get(http, base, "/api/v1/checks"));
        } catch (IOException e) {
            throw new PluginClient.ClientException(base + "/api/v1/checks is not a checks manifest: " + e.getMessage()
                    + " (is it a hackable-email server?)");
        }
        List<String> saved = new ArrayList<>();
        try {
            Files.createDirectories(into);
            for (JsonNode name : manifest.path("files")) {
                String file = name.asText();
                if (!PLAIN.matcher(file).matches()) {
                    throw new PluginClient.ClientException("the server names a check file '" + file
                            + "', which is not a plain file name: not saved");
                }
                Files.write(into.resolve(file), get(http, base, "/api/v1/checks/" + file));
                saved.add(file);
            }
        } catch (IOException e) {
            throw new PluginClient.ClientException(into + ": cannot save the checks: " + e.getMessage());
        }
        out.println("downloaded the server's checks into " + into + ": " + String.join(", ", saved));

        JsonNode limits = manifest.path("limits");
        List<String> limitArgs = List.of("--timeout", seconds(limits.path("timeout").asText("PT10S")),
                "--memory-limit", (limits.path("memory_pages").asLong(1024) * 64) + "KiB",
                "--kernel-limit", limits.path("kernel_bytes").asText("67108864"),
                "--output-limit", limits.path("output_bytes").asText("65536"));
        String schema = into.resolve(manifest.path("schema").asText("on-email.yaml")).toString();
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {"check", "--schema", schema, "PLUGIN.wasm"});
        for (JsonNode sim : manifest.path("simulations")) {
            List<String> args = new ArrayList<>(List.of("test", "PLUGIN.wasm", "--with",
                    into.resolve(sim.path("with").asText()).toString()));
            if (sim.hasNonNull("mock_host")) {
                args.addAll(List.of("--mock-host", into.resolve(sim.path("mock_host").asText()).toString()));
            }
            if (sim.hasNonNull("mock_input")) {
                args.addAll(List.of("--mock-input-data", sim.path("mock_input").asText()));
            }
            args.addAll(limitArgs);
            commands.add(args.toArray(new String[0]));
        }
        JsonNode fuzz = manifest.path("fuzz");
        List<String> fuzzArgs = new ArrayList<>(List.of("fuzz", "PLUGIN.wasm", "--schema", schema,
                "--runs", fuzz.path("runs").asText("200"), "--time", seconds(fuzz.path("time").asText("PT2S")),
                "--seed", fuzz.path("seed").asText("1")));
        fuzzArgs.addAll(limitArgs);
        fuzzArgs.set(fuzzArgs.indexOf("--timeout") + 1, seconds(fuzz.path("timeout").asText("PT2S")));
        commands.add(fuzzArgs.toArray(new String[0]));
        return commands;
    }

    private static String seconds(String isoDuration) {
        try {
            Duration d = Duration.parse(isoDuration);
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        } catch (RuntimeException e) {
            return "10s";
        }
    }

    private static byte[] get(HttpClient http, URI base, String path) throws PluginClient.ClientException {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofMinutes(1)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new PluginClient.ClientException(base + path + " answered HTTP " + r.statusCode()
                        + (r.statusCode() == 404 ? " (a server older than the checks route?)" : ""));
            }
            return r.body();
        } catch (ConnectException e) {
            throw new PluginClient.ClientException("could not reach " + base + ": " + (e.getMessage() == null
                    ? "connection refused" : e.getMessage()));
        } catch (IOException e) {
            throw new PluginClient.ClientException("the request to " + base + path + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginClient.ClientException("interrupted");
        }
    }
}

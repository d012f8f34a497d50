package dev.hackablemail.runner.cli;

import dev.hackablemail.runner.init.GeneratedFile;
import dev.hackablemail.runner.init.InitException;
import dev.hackablemail.runner.init.InitRequest;
import dev.hackablemail.runner.init.ProjectFiles;
import dev.hackablemail.runner.init.ProjectTemplate;
import dev.hackablemail.runner.init.ProjectTemplates;
import dev.hackablemail.runner.init.ProjectWriter;
import dev.hackablemail.runner.init.SchemaSource;
import dev.hackablemail.schema.cli.ExitCodes;
import dev.hackablemail.schema.xtp.Schema;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xtp-sim plugin init}: a new plugin project from a schema, with typed bindings. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        versionProvider = XtpSim.Version.class,
        sortOptions = false,
        header = "Create a plugin project from an extension point's schema: typed bindings, one file to edit, a build.",
        description = {
            "Writes into DIR: the bindings generated from the schema (its types, their JSON encoding, a wrapper for "
                    + "each export and a typed function for each host function; never edit them), one implementation "
                    + "file to edit (stubs that fail with \"not implemented\", or the schema's code samples with "
                    + "--feature stub-with-code-samples), the build file with pinned tool versions, an xtp.toml "
                    + "(bin, [scripts] build, a [[test]] for each --with), a README and .gitignore.",
            "Templates are part of xtp-sim: nothing is downloaded. An existing file is never overwritten without "
                    + "--force (every file) or --regenerate (only the generated bindings: after the schema changed).",
            "Missing values are asked for when the input is a terminal; otherwise they are an error.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the project was written",
            "2:nothing was written: bad or missing arguments, a schema that cannot be read or fetched or is not a "
                    + "valid v1 schema, files that exist already (without --force or --regenerate), a file that "
                    + "cannot be written",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  xtp-sim plugin init --schema schema.yaml --template c --name vacation",
            "  cd vacation && xtp-sim plugin build && xtp-sim test",
            "  xtp-sim plugin init --server http://push.example.com:8025 --template c \\",
            "      --path my-plugin --feature stub-with-code-samples \\",
            "      --with simulations/dist/test.wasm --mock-host mock-host/dist/host.wasm",
        })
final class PluginInitCommand implements Callable<Integer> {

    static final String CODE_SAMPLES = "stub-with-code-samples";

    @Spec
    CommandSpec spec;

    @Option(names = "--schema", paramLabel = "FILE|URL", description = "The extension point's XTP schema (v1).")
    String schema;

    @Option(names = "--server", paramLabel = "URL",
            description = "Take the schema from this push server instead: the one its checks use (listed at "
                    + SchemaSource.CHECKS_ROUTE + ", as `xtp-sim plugin checks` downloads it), e.g. "
                    + "http://push.example.com:8025. Its simulations (the contract, with its mock host) are saved "
                    + "into server-checks/ and listed as [[test]]s of xtp.toml.")
    String server;

    /** Where init --server saves the server's simulations in the project. */
    static final String SERVER_CHECKS = "server-checks";

    @Option(names = "--template", paramLabel = "ID", description = "The language: ${COMPLETION-CANDIDATES}.",
            completionCandidates = TemplateIds.class)
    String template;

    @Option(names = "--path", paramLabel = "DIR", description = "Where to create the project (default: ./NAME).")
    Path path;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The plugin's name, also its module's (dist/NAME.wasm); default: DIR's name.")
    String name;

    @Option(names = "--feature", paramLabel = "FEATURE",
            description = "stub-with-code-samples: start from the schema's code sample for the language, "
                    + "where it has one.")
    List<String> features = new ArrayList<>();

    @Option(names = "--with", paramLabel = "TEST.wasm",
            description = "A simulation (xtp-test module) to list as a [[test]] of xtp.toml; repeatable.")
    List<String> tests = new ArrayList<>();

    @Option(names = "--mock-host", paramLabel = "HOST.wasm", description = "The mock host of those [[test]]s.")
    String mockHost;

    @Option(names = "--force", description = "Overwrite existing files, your implementation file included.")
    boolean force;

    @Option(names = "--regenerate",
            description = "Write only the generated bindings again (overwriting them); leave every other file alone.")
    boolean regenerate;

    /** The template ids, for the help. */
    static final class TemplateIds extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        TemplateIds() {
            ProjectTemplates.all().forEach(t -> add(t.id()));
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return init(out);
        } catch (InitException e) {
            err.println("xtp-sim plugin init: " + e.getMessage());
            err.flush();
            return ExitCodes.CANNOT_RUN;
        }
    }

    private int init(PrintWriter out) {
        Console console = System.console();
        for (String feature : features) {
            if (!feature.equals(CODE_SAMPLES)) {
                throw new InitException("unknown --feature '" + feature + "' (known: " + CODE_SAMPLES + ")");
            }
        }
        if (force && regenerate) {
            throw new InitException("--force and --regenerate exclude each other: --force overwrites every file,"
                    + " --regenerate only the bindings");
        }
        if (schema != null && server != null) {
            throw new InitException("give --schema or --server, not both");
        }
        if (console == null) {
            missingWithoutTerminal();
        }
        ProjectTemplate chosen = template(console);
        SchemaSource.Loaded loaded = schema(console);
        Schema parsed = loaded.schema();
        String pluginName = name(console);
        Path folder = path != null ? path : Path.of(pluginName);
        List<InitRequest.TestEntry> entries = new ArrayList<>();
        if (mockHost != null && tests.isEmpty()) {
            throw new InitException("--mock-host needs a --with: it is the mock host of those tests");
        }
        // a typo here would only show at the first `xtp-sim test`, far from its cause
        for (String module : mockHost == null ? tests : concat(tests, mockHost)) {
            if (!module.contains("://") && !java.nio.file.Files.isRegularFile(Path.of(module))) {
                throw new InitException((module.equals(mockHost) && !tests.contains(module) ? "--mock-host " : "--with ")
                        + module + ": no such file");
            }
        }
        for (String with : tests) {
            String file = with.contains("://") ? with : relative(folder, with);
            String host = mockHost == null ? null : mockHost.contains("://") ? mockHost : relative(folder, mockHost);
            entries.add(new InitRequest.TestEntry(Path.of(with).getFileName().toString(), file, host));
        }
        java.util.Map<String, byte[]> serverFiles = new java.util.LinkedHashMap<>(); // fetched before anything is written
        if (server != null) { // the server's own simulations, saved into the project, run by `xtp-sim test`
            for (com.fasterxml.jackson.databind.JsonNode sim : SchemaSource.serverChecks(server).path("simulations")) {
                String with = sim.path("with").asText("");
                String host = sim.path("mock_host").asText(null);
                entries.add(new InitRequest.TestEntry("server " + sim.path("name").asText(with),
                        SERVER_CHECKS + "/" + with, host == null ? null : SERVER_CHECKS + "/" + host));
                serverFiles.put(with, SchemaSource.serverCheckFile(server, with));
                if (host != null) {
                    serverFiles.put(host, SchemaSource.serverCheckFile(server, host));
                }
            }
        }
        long start = System.nanoTime();
        List<GeneratedFile> files = new ArrayList<>(chosen.generate(
                new InitRequest(pluginName, parsed, features.contains(CODE_SAMPLES), entries)));
        // the schema travels with the project: check, fuzz and --regenerate name it there
        if (files.stream().noneMatch(f -> f.path().equals(loaded.fileName()))
                && !sameText(folder.resolve(loaded.fileName()), loaded.text())) {
            files.add(new GeneratedFile(loaded.fileName(), loaded.text(), true));
        }
        ProjectWriter.Mode mode = force ? ProjectWriter.Mode.FORCE
                : regenerate ? ProjectWriter.Mode.REGENERATE : ProjectWriter.Mode.NEW_FILES_ONLY;
        ProjectWriter.Written written = ProjectWriter.write(folder, files, mode);
        serverFiles.forEach((file, bytes) -> // always the server's current ones
                ProjectWriter.writeBytes(folder.resolve(SERVER_CHECKS).resolve(file), bytes));
        long millis = (System.nanoTime() - start) / 1_000_000;
        out.printf("%s %s plugin '%s' in %s from %s (%d files, %d ms):%n",
                regenerate ? "Regenerated the bindings of the" : "Created the", chosen.id(), pluginName, folder,
                parsed.source(), written.files().size(), millis);
        for (GeneratedFile f : files) {
            if (written.files().contains(f.path())) {
                String what = f.path().equals(loaded.fileName()) ? "the schema (a copy, for check and fuzz)"
                        : f.regenerated() ? "generated, do not edit" : "yours";
                out.printf("  %-22s %s%s%n", f.path(), what,
                        written.overwritten().contains(f.path()) ? " (overwritten)" : "");
            }
        }
        if (!serverFiles.isEmpty()) {
            out.printf("  %-22s the server's checks, listed as [[test]]s%n", SERVER_CHECKS + "/");
        }
        if (!regenerate) {
            // `xtp-sim test` without a [[test]] has nothing to run: the fuzzer is the first check then
            String module = files.stream().filter(f -> f.path().equals("xtp.toml")).findFirst()
                    .map(f -> java.util.regex.Pattern.compile("(?m)^bin = \"([^\"]+)\"").matcher(f.content()))
                    .filter(java.util.regex.Matcher::find).map(m -> m.group(1))
                    .orElse("dist/" + pluginName + ".wasm");
            out.println("Next:");
            out.println("  cd " + shellWord(folder.toString()) + " && xtp-sim plugin build && " + (entries.isEmpty()
                    ? "xtp-sim fuzz " + module + " --schema " + loaded.fileName()
                    : "xtp-sim test"));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code word} as a shell reads it back: quoted when it has anything but plain path characters. */
    static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./+:@=-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static List<String> concat(List<String> list, String one) {
        List<String> all = new ArrayList<>(list);
        all.add(one);
        return all;
    }

    /** Whether {@code file} holds {@code text} already (the schema given lies in the project folder). */
    private static boolean sameText(Path file, String text) {
        try {
            return java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.readString(file).equals(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A path as xtp.toml in {@code folder} names it: relative when near, else absolute. */
    private static String relative(Path folder, String file) {
        Path target = Path.of(file).toAbsolutePath().normalize();
        Path base = folder.toAbsolutePath().normalize();
        try {
            Path rel = base.relativize(target);
            return rel.startsWith(Path.of("..", "..")) ? target.toString() : rel.toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return target.toString();
        }
    }

    private ProjectTemplate template(Console console) {
        if (template == null) {
            template = ask(console, "--template", "Language (" + ProjectTemplates.ids() + ")");
        }
        return ProjectTemplates.byId(template).orElseThrow(() -> new InitException(
                "unknown --template '" + template + "' (one of: " + ProjectTemplates.ids() + ")"));
    }

    private SchemaSource.Loaded schema(Console console) {
        if (server != null) {
            return SchemaSource.fromServer(server);
        }
        if (schema == null) {
            schema = ask(console, "--schema FILE|URL (or --server URL)", "Schema (file or URL)");
        }
        return SchemaSource.read(schema);
    }

    private String name(Console console) {
        if (name == null && path != null && path.toAbsolutePath().normalize().getFileName() != null) {
            name = path.toAbsolutePath().normalize().getFileName().toString();
        }
        if (name == null) {
            name = ask(console, "--name NAME (or --path DIR)", "Plugin name");
        }
        String problem = ProjectFiles.nameProblem(name);
        if (problem != null) {
            throw new InitException((path != null && !name.equals(this.nameGiven()) ? "--path's folder name: " : "--name: ")
                    + problem);
        }
        return name;
    }

    private String nameGiven() {
        return spec.commandLine().getParseResult().matchedOptionValue("--name", null);
    }

    /** Without a terminal nothing is asked: every missing option is named at once, not one per run. */
    private void missingWithoutTerminal() {
        List<String> missing = new ArrayList<>();
        if (template == null) {
            missing.add("--template");
        }
        if (schema == null && server == null) {
            missing.add("--schema FILE|URL (or --server URL)");
        }
        if (name == null && path == null) {
            missing.add("--name NAME (or --path DIR)");
        }
        if (!missing.isEmpty()) {
            throw new InitException("missing " + String.join(", ", missing) + " ("
                    + (missing.size() == 1 ? "it is" : "they are") + " asked for only when the input is a terminal)");
        }
    }

    /** Asks on the terminal; without one, the missing option is an error. */
    private static String ask(Console console, String option, String prompt) {
        if (console == null) {
            throw new InitException("missing " + option + " (it is asked for only when the input is a terminal)");
        }
        String answer = console.readLine("%s: ", prompt);
        if (answer == null || answer.isBlank()) {
            throw new InitException("no " + prompt.toLowerCase() + " given");
        }
        return answer.strip();
    }
}

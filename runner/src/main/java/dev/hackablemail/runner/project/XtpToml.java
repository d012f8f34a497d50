package dev.hackablemail.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.hackablemail.runner.sim.SimulationSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code xtp.toml} project file, as {@code xtp plugin test} reads it: top-level
 * {@code bin} is the plugin; each {@code [[test]]} has {@code name}, {@code build} (a shell
 * command run first), {@code with} (the test module), {@code mock_host} and
 * {@code mock_input = { data = "..." }} or {@code { file = "..." }}. Paths are relative to
 * the file; {@code bin}, {@code with} and {@code mock_host} may also be {@code http(s)://}
 * URLs, downloaded once into a cache (see {@link ModuleSources}). Unknown keys are ignored,
 * as the XTP CLI's file has more sections.
 */
public final class XtpToml {

    private static final Set<String> MOCK_INPUT_KEYS = Set.of("data", "file");

    /** One {@code [[test]]} entry, paths resolved. */
    public record TestEntry(
            String name, Optional<String> build, Path with, Optional<Path> mockHost, Optional<byte[]> mockInput) {

        /** A simulation of {@code plugin} with this entry's test module, mock host and input. */
        public SimulationSpec.Builder toSpec(Path plugin) {
            return SimulationSpec.builder(plugin, with).withName(name)
                    .withMockHost(mockHost.orElse(null))
                    .withMockInput(mockInput.orElse(null));
        }
    }

    private final Path file;
    private final Path plugin;
    private final List<TestEntry> tests;
    private final String buildScript;

    private XtpToml(Path file, Path plugin, List<TestEntry> tests, String buildScript) {
        this.file = file;
        this.plugin = plugin;
        this.tests = List.copyOf(tests);
        this.buildScript = buildScript;
    }

    /**
     * Reads an {@code xtp.toml}.
     *
     * @throws XtpTomlException naming the file and the problem: unreadable, not TOML, a
     *     missing or mistyped key, an unreadable mock-input file
     */
    public static XtpToml load(Path file) {
        return load(file, new ModuleSources(ModuleSources.defaultCache(), false));
    }

    /**
     * Reads an {@code xtp.toml}, taking modules named by URL from {@code sources}.
     *
     * @throws XtpTomlException as {@link #load(Path)}, and when a URL cannot be had (the
     *     message names the file, the key and the URL)
     */
    public static XtpToml load(Path file, ModuleSources sources) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new XtpTomlException(file + ": no such file");
        } catch (IOException e) {
            throw new XtpTomlException(file + ": cannot be read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (IOException e) {
            throw new XtpTomlException(file + ": not valid TOML: " + firstLine(e.getMessage()));
        }
        // Relative as the file was named (./xtp.toml: paths as written in it), so that a report
        // names a module the same way whether it came from this file or from the command line.
        Path parent = file.normalize().getParent();
        Path dir = parent != null ? parent : file.isAbsolute() ? file.getRoot() : Path.of("");
        Path plugin = optionalString(file, root, "bin").map(bin -> module(file, "bin", bin, dir, sources))
                .orElse(null);
        JsonNode testNodes = root.path("test");
        if (!testNodes.isMissingNode() && !testNodes.isArray()) {
            throw new XtpTomlException(file + ": 'test' must be an array of tables ([[test]])");
        }
        List<TestEntry> tests = new ArrayList<>();
        int index = 0;
        for (JsonNode node : testNodes) {
            tests.add(entry(file, dir, node, index++, sources));
        }
        JsonNode scripts = root.path("scripts");
        if (!scripts.isMissingNode() && !scripts.isObject()) {
            throw new XtpTomlException(file + ": 'scripts' must be a table ([scripts])");
        }
        String buildScript = scripts.isObject() ? optionalString(file, scripts, "build").orElse(null) : null;
        return new XtpToml(file, plugin, tests, buildScript);
    }

    private static Path module(Path file, String key, String location, Path dir, ModuleSources sources) {
        try {
            return sources.resolve(location, dir);
        } catch (ModuleSourceException e) {
            throw new XtpTomlException(file + ": " + key + ": " + e.getMessage());
        }
    }

    private static TestEntry entry(Path file, Path dir, JsonNode node, int index, ModuleSources sources) {
        String where = file + ": test[" + index + "]";
        if (!node.isObject()) {
            throw new XtpTomlException(where + " must be a table");
        }
        String with = optionalString(file, node, "with")
                .orElseThrow(() -> new XtpTomlException(where + " has no 'with' (the test module to run)"));
        String name = optionalString(file, node, "name").orElse(with);
        Optional<Path> mockHost = optionalString(file, node, "mock_host")
                .map(host -> module(file, "test[" + index + "].mock_host", host, dir, sources));
        Path test = module(file, "test[" + index + "].with", with, dir, sources);
        return new TestEntry(name, optionalString(file, node, "build"), test, mockHost,
                mockInput(where, dir, node.path("mock_input")));
    }

    private static Optional<byte[]> mockInput(String where, Path dir, JsonNode node) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        if (!node.isObject() || node.size() != 1 || !MOCK_INPUT_KEYS.contains(node.fieldNames().next())) {
            throw new XtpTomlException(where + ": mock_input must be { data = \"...\" } or { file = \"...\" }");
        }
        JsonNode data = node.get("data");
        if (data != null) {
            if (!data.isTextual()) {
                throw new XtpTomlException(where + ": mock_input.data must be a string");
            }
            return Optional.of(data.asText().getBytes(StandardCharsets.UTF_8));
        }
        JsonNode fileNode = node.get("file");
        if (!fileNode.isTextual()) {
            throw new XtpTomlException(where + ": mock_input.file must be a string");
        }
        Path input = dir.resolve(fileNode.asText());
        try {
            return Optional.of(Files.readAllBytes(input));
        } catch (IOException e) {
            throw new XtpTomlException(where + ": mock_input file " + input + " cannot be read: " + e.getMessage());
        }
    }

    private static Optional<String> optionalString(Path file, JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new XtpTomlException(file + ": '" + key + "' must be a string");
        }
        return Optional.of(value.asText());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        Iterator<String> lines = message.lines().iterator();
        return lines.hasNext() ? lines.next() : message;
    }

    public Path file() {
        return file;
    }

    /** The folder the file is in: relative paths and build commands start there. */
    public Path directory() {
        return file.toAbsolutePath().getParent();
    }

    /** The plugin under test ({@code bin}), if the file names one. */
    public Optional<Path> plugin() {
        return Optional.ofNullable(plugin);
    }

    public List<TestEntry> tests() {
        return tests;
    }

    /** The shell command of {@code [scripts] build} that builds the plugin ({@code xtp-sim plugin build}). */
    public Optional<String> buildScript() {
        return Optional.ofNullable(buildScript);
    }

    /**
     * Runs an entry's {@code build} command, if any, with {@code sh -c} in the file's folder,
     * its output going to {@code log}.
     *
     * @throws XtpTomlException when the command cannot start or exits non-zero
     */
    public void build(TestEntry entry, java.io.OutputStream log) {
        if (entry.build().isEmpty()) {
            return;
        }
        String command = entry.build().get();
        try {
            Process process = new ProcessBuilder("sh", "-c", command)
                    .directory(directory().toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            process.getInputStream().transferTo(log);
            int status = process.waitFor();
            if (status != 0) {
                throw new XtpTomlException(file + ": build of test '" + entry.name() + "' (" + command
                        + ") exited with status " + status);
            }
        } catch (IOException e) {
            throw new XtpTomlException(file + ": build of test '" + entry.name() + "' could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XtpTomlException(file + ": build of test '" + entry.name() + "' was interrupted");
        }
    }
}

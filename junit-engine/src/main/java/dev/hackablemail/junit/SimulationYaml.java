package dev.hackablemail.junit;

import dev.hackablemail.schema.xtp.Location;
import dev.hackablemail.schema.xtp.NodeReader;
import dev.hackablemail.schema.xtp.Problem;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Reads a {@code *.simulation.yaml} file:
 *
 * <pre>
 * name: email                      # optional; default: the file name without .simulation.yaml
 * plugin: ../plugin/dist/plugin.wasm
 * with: dist/test.wasm             # the test module
 * mock_host: dist/host.wasm        # optional
 * mock_input: {data: "..."}        # optional; or {file: input.json}
 * limits: {timeout: 5s, run_timeout: 1m, memory: 64MiB, kernel_memory: 64MiB, output: 16MiB}
 * config: {key: value}             # optional, the plugin's config
 * seed: 7                          # optional: fixed WASI random bytes and clock (repeatable runs)
 * </pre>
 *
 * Paths are relative to the file's folder. Every problem (a syntax error, an unknown key, a
 * missing {@code with}, a bad value) is collected with its line by a {@link NodeReader}, none
 * is thrown. Each top-level section has a method of its own.
 */
final class SimulationYaml {

    static final String SUFFIX = ".simulation.yaml";

    private static final List<String> KEYS =
            List.of("name", "plugin", "with", "mock_host", "mock_input", "limits", "config", "seed", FuzzSection.KEY);

    /** The definition, or null when there are problems. */
    record Result(SimulationDefinition definition, List<Problem> problems) {}

    private final Path file;
    private final Path dir;
    private final NodeReader reader;

    private SimulationYaml(Path file) {
        this.file = file;
        this.dir = file.toAbsolutePath().normalize().getParent();
        this.reader = new NodeReader(file.toString());
    }

    static boolean isSimulationFile(String fileName) {
        return fileName.endsWith(SUFFIX) && fileName.length() > SUFFIX.length();
    }

    static Result parse(Path file) {
        return new SimulationYaml(file).parse();
    }

    private Result parse() {
        Node root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = reader.compose(in);
        } catch (NoSuchFileException e) {
            return fail("no such file");
        } catch (IOException e) {
            return fail("cannot be read: " + e.getMessage());
        }
        if (root == null) {
            return reader.problems().isEmpty() ? fail("empty; a simulation needs at least 'with'") : result(null);
        }
        Map<String, NodeTuple> values = reader.mapping(root, "", "a simulation file");
        if (values == null) {
            return result(null);
        }
        reader.rejectUnknownKeys(values, "", KEYS);
        String name = name(values.get("name"));
        Path plugin = path(values.get("plugin"), "plugin");
        Path with = path(values.get("with"), "with");
        if (!values.containsKey("with") && !values.containsKey(FuzzSection.KEY)) {
            reader.report(root, "", "no 'with' (the test module to run)");
        }
        Path mockHost = path(values.get("mock_host"), "mock_host");
        MockInput mockInput = mockInput(values.get("mock_input"));
        Limits limits = limits(values.get("limits"));
        Map<String, String> config = config(values.get("config"));
        Long seed = seed(values.get("seed"));
        FuzzDefinition fuzz = values.containsKey(FuzzSection.KEY)
                ? FuzzSection.parse(values.get(FuzzSection.KEY).getValueNode(), dir, (mark, message) -> reader.report(
                        new Location(mark.getLine() + 1, mark.getColumn() + 1), "", message))
                : null;
        return result(new SimulationDefinition(name, plugin, with, mockHost, mockInput.data(), mockInput.file(),
                limits, config, null, seed, fuzz,
                values.containsKey("with") ? values.get("with").getKeyNode().getStartMark().getLine() + 1 : 0));
    }

    /** {@code name}, by default the file name without {@value #SUFFIX}. */
    private String name(NodeTuple entry) {
        if (entry == null) {
            String fileName = file.getFileName().toString();
            return fileName.substring(0, fileName.length() - SUFFIX.length());
        }
        return reader.text(entry.getValueNode(), "name", "name");
    }

    /** What {@code mock_input} returns: inline data or a file. */
    private record MockInput(byte[] data, Path file) {
        static final MockInput NONE = new MockInput(null, null);
    }

    private MockInput mockInput(NodeTuple entry) {
        if (entry == null) {
            return MockInput.NONE;
        }
        Node node = entry.getValueNode();
        Map<String, NodeTuple> values = reader.mapping(node, "mock_input", "mock_input ({data: ...} or {file: ...})");
        if (values == null) {
            return MockInput.NONE;
        }
        reader.rejectUnknownKeys(values, "mock_input", List.of("data", "file"));
        if (values.containsKey("data") == values.containsKey("file")) {
            reader.report(node, "mock_input", "must be {data: ...} or {file: ...}");
            return MockInput.NONE;
        }
        if (values.containsKey("file")) {
            return new MockInput(null, path(values.get("file"), "mock_input.file"));
        }
        String data = reader.text(values.get("data").getValueNode(), "mock_input.data", "the data");
        return new MockInput(data == null ? null : data.getBytes(StandardCharsets.UTF_8), null);
    }

    private Limits limits(NodeTuple entry) {
        Limits limits = Limits.NONE;
        Map<String, NodeTuple> values = entry == null ? null : reader.mapping(entry.getValueNode(), "limits", "limits");
        if (values == null) {
            return limits;
        }
        reader.rejectUnknownKeys(values, "limits", Limits.KEYS);
        for (Map.Entry<String, NodeTuple> limit : values.entrySet()) {
            String path = "limits." + limit.getKey();
            Node node = limit.getValue().getValueNode();
            String text = Limits.KEYS.contains(limit.getKey()) ? reader.text(node, path, "a limit") : null;
            if (text != null) {
                try {
                    limits = limits.with(limit.getKey(), text);
                } catch (IllegalArgumentException e) {
                    reader.report(node, path, e.getMessage());
                }
            }
        }
        return limits;
    }

    /** The plugin's config: names to single values. */
    private Map<String, String> config(NodeTuple entry) {
        Map<String, String> config = new LinkedHashMap<>();
        Map<String, NodeTuple> values = entry == null ? null : reader.mapping(entry.getValueNode(), "config", "config");
        if (values == null) {
            return config;
        }
        for (Map.Entry<String, NodeTuple> value : values.entrySet()) {
            String path = "config." + value.getKey();
            String text = reader.text(value.getValue().getValueNode(), path, "a config value");
            if (text != null) {
                config.put(value.getKey(), text);
            }
        }
        return Map.copyOf(config);
    }

    /** {@code seed}: a whole number that fixes WASI's random bytes and clock; null when absent. */
    private Long seed(NodeTuple entry) {
        if (entry == null) {
            return null;
        }
        String text = reader.text(entry.getValueNode(), "seed", "seed");
        try {
            return text == null ? null : Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            reader.report(entry.getValueNode(), "seed", "'" + text + "' is not a whole number");
            return null;
        }
    }

    /** A path relative to the file's folder; null when {@code entry} is absent or not a path. */
    private Path path(NodeTuple entry, String key) {
        if (entry == null) {
            return null;
        }
        String text = reader.text(entry.getValueNode(), key, "a path");
        if (text == null) {
            return null;
        }
        try {
            return dir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            reader.report(entry.getValueNode(), key, "not a path: " + e.getMessage());
            return null;
        }
    }

    private Result result(SimulationDefinition definition) {
        List<Problem> problems = List.copyOf(reader.problems());
        return problems.isEmpty() ? new Result(definition, problems) : new Result(null, problems);
    }

    private Result fail(String message) {
        reader.report((Node) null, "", message);
        return result(null);
    }
}

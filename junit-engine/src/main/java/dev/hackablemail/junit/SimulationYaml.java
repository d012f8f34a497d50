package dev.hackablemail.junit;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

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
 * </pre>
 *
 * Paths are relative to the file's folder. Every problem (a syntax error, an unknown key, a
 * missing {@code with}, a bad value) is collected with its line, none is thrown.
 */
final class SimulationYaml {

    static final String SUFFIX = ".simulation.yaml";

    private static final List<String> KEYS =
            List.of("name", "plugin", "with", "mock_host", "mock_input", "limits", "config", FuzzSection.KEY);

    /** One problem of a file; {@code line} and {@code column} count from 1, 0 when unknown. */
    record Problem(String message, int line, int column) {}

    /** The definition, or null when there are problems. */
    record Result(SimulationDefinition definition, List<Problem> problems) {}

    private final Path file;
    private final Path dir;
    private final List<Problem> problems = new ArrayList<>();

    private SimulationYaml(Path file) {
        this.file = file;
        this.dir = file.toAbsolutePath().normalize().getParent();
    }

    static boolean isSimulationFile(String fileName) {
        return fileName.endsWith(SUFFIX) && fileName.length() > SUFFIX.length();
    }

    static Result parse(Path file) {
        return new SimulationYaml(file).parse();
    }

    private Result parse() {
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
        } catch (NoSuchFileException e) {
            return fail(new Problem(file + ": no such file", 0, 0));
        } catch (IOException e) {
            return fail(new Problem(file + ": cannot be read: " + e.getMessage(), 0, 0));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            return fail(mark == null ? new Problem(file + ": not valid YAML: " + problem, 0, 0)
                    : problemAt(mark, "not valid YAML: " + problem));
        } catch (YAMLException e) {
            return fail(new Problem(file + ": not valid YAML: " + e.getMessage(), 0, 0));
        }
        if (!(root instanceof MappingNode mapping)) {
            return fail(root == null ? new Problem(file + ": empty; a simulation needs at least 'with'", 0, 0)
                    : problemAt(root.getStartMark(), "must be a mapping of " + String.join(", ", KEYS)));
        }
        Map<String, Node> values = keys(mapping, KEYS, "");
        String defaultName = file.getFileName().toString();
        String name = values.containsKey("name") ? string(values.get("name"), "name")
                : defaultName.substring(0, defaultName.length() - SUFFIX.length());
        Path plugin = values.containsKey("plugin") ? path(values.get("plugin"), "plugin") : null;
        Path with = null;
        if (values.containsKey("with")) {
            with = path(values.get("with"), "with");
        } else if (!values.containsKey(FuzzSection.KEY)) {
            problems.add(problemAt(mapping.getStartMark(), "no 'with' (the test module to run)"));
        }
        Path mockHost = values.containsKey("mock_host") ? path(values.get("mock_host"), "mock_host") : null;
        byte[] mockInput = null;
        Path mockInputFile = null;
        Node input = values.get("mock_input");
        if (input != null) {
            int before = problems.size();
            Map<String, Node> inputValues = keys(input, List.of("data", "file"), "mock_input.");
            if (inputValues.size() != 1) {
                if (problems.size() == before) {
                    problems.add(problemAt(input.getStartMark(), "mock_input must be {data: ...} or {file: ...}"));
                }
            } else if (inputValues.containsKey("data")) {
                String data = string(inputValues.get("data"), "mock_input.data");
                mockInput = data == null ? null : data.getBytes(StandardCharsets.UTF_8);
            } else {
                mockInputFile = path(inputValues.get("file"), "mock_input.file");
            }
        }
        Limits limits = Limits.NONE;
        if (values.containsKey("limits")) {
            for (Map.Entry<String, Node> limit : keys(values.get("limits"), Limits.KEYS, "limits.").entrySet()) {
                String text = string(limit.getValue(), "limits." + limit.getKey());
                if (text != null) {
                    try {
                        limits = limits.with(limit.getKey(), text);
                    } catch (IllegalArgumentException e) {
                        problems.add(problemAt(limit.getValue().getStartMark(),
                                "limits." + limit.getKey() + ": " + e.getMessage()));
                    }
                }
            }
        }
        Map<String, String> config = new LinkedHashMap<>();
        if (values.containsKey("config")) {
            for (Map.Entry<String, Node> entry : keys(values.get("config"), null, "config.").entrySet()) {
                String value = string(entry.getValue(), "config." + entry.getKey());
                if (value != null) {
                    config.put(entry.getKey(), value);
                }
            }
        }
        FuzzDefinition fuzz = values.containsKey(FuzzSection.KEY) ? FuzzSection.parse(values.get(FuzzSection.KEY), dir,
                (mark, message) -> problems.add(problemAt(mark, message))) : null;
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new SimulationDefinition(name, plugin, with, mockHost, mockInput, mockInputFile, limits,
                Map.copyOf(config), null, fuzz), List.of());
    }

    /**
     * The entries of a mapping, each key checked against {@code known} (any key when null);
     * problems are recorded and the offending entries left out.
     */
    private Map<String, Node> keys(Node node, List<String> known, String prefix) {
        Map<String, Node> values = new LinkedHashMap<>();
        String what = prefix.isEmpty() ? "the file" : prefix.substring(0, prefix.length() - 1);
        if (!(node instanceof MappingNode mapping)) {
            problems.add(problemAt(node.getStartMark(), what + " must be a mapping"
                    + (known == null ? "" : " of " + String.join(", ", known))));
            return values;
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar)) {
                problems.add(problemAt(keyNode.getStartMark(), "a key of " + what + " must be a plain name"));
                continue;
            }
            String key = scalar.getValue();
            if (!seen.add(key)) {
                problems.add(problemAt(keyNode.getStartMark(), "'" + prefix + key + "' is given twice"));
            } else if (known != null && !known.contains(key)) {
                problems.add(problemAt(keyNode.getStartMark(), "unknown key '" + prefix + key + "' (known keys: "
                        + String.join(", ", known) + ")"));
            } else {
                values.put(key, tuple.getValueNode());
            }
        }
        return values;
    }

    private String string(Node node, String key) {
        if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
            return scalar.getValue();
        }
        problems.add(problemAt(node.getStartMark(), "'" + key + "' must be a single value"
                + (node instanceof ScalarNode ? ", not empty" : "")));
        return null;
    }

    private Path path(Node node, String key) {
        String text = string(node, key);
        if (text == null) {
            return null;
        }
        try {
            return dir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            problems.add(problemAt(node.getStartMark(), "'" + key + "' is not a path: " + e.getMessage()));
            return null;
        }
    }

    private Problem problemAt(Mark mark, String message) {
        int line = mark.getLine() + 1;
        int column = mark.getColumn() + 1;
        return new Problem(file + ":" + line + ": " + message, line, column);
    }

    private static Result fail(Problem problem) {
        return new Result(null, List.of(problem));
    }
}

package dev.hackablemail.junit;

import dev.hackablemail.runner.config.Quantities;
import dev.hackablemail.runner.fuzz.FuzzSetupException;
import dev.hackablemail.runner.fuzz.Fuzzer;
import dev.hackablemail.runner.fuzz.SchemaFiles;
import dev.hackablemail.schema.xtp.Schema;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads the {@code fuzz:} section of a simulation file:
 *
 * <pre>
 * fuzz:
 *   schema: ../schema/on-email.yaml   # required; relative to the file
 *   export: onEmail                   # optional: the schema's only export by default
 *   runs: 300                         # optional: at most this many inputs
 *   seed: 1                           # optional (default 1, so that builds are reproducible)
 *   time: 5s                          # optional: at most this long
 * </pre>
 *
 * The schema is read here, so that a missing file or an unknown export is a discovery issue.
 * Problems go to the sink with the node's position; none is thrown.
 */
final class FuzzSection {

    static final String KEY = "fuzz";
    static final List<String> KEYS = List.of("schema", "export", "runs", "seed", "time");

    private final Path dir;
    private final BiConsumer<Mark, String> problems;
    private int found;

    private FuzzSection(Path dir, BiConsumer<Mark, String> problems) {
        this.dir = dir;
        this.problems = (mark, message) -> {
            found++;
            problems.accept(mark, message);
        };
    }

    /** The definition, or null after reporting what is wrong with it. */
    static FuzzDefinition parse(Node node, Path dir, BiConsumer<Mark, String> problems) {
        return new FuzzSection(dir, problems).parse(node);
    }

    private FuzzDefinition parse(Node node) {
        if (!(node instanceof MappingNode mapping)) {
            problems.accept(node.getStartMark(), "fuzz must be a mapping of " + String.join(", ", KEYS));
            return null;
        }
        Map<String, Node> values = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            if (key == null || !KEYS.contains(key)) {
                problems.accept(tuple.getKeyNode().getStartMark(), "unknown key 'fuzz." + key + "' (known keys: "
                        + String.join(", ", KEYS) + ")");
            } else if (values.put(key, tuple.getValueNode()) != null) {
                problems.accept(tuple.getKeyNode().getStartMark(), "'fuzz." + key + "' is given twice");
            }
        }
        if (!values.containsKey("schema")) {
            problems.accept(node.getStartMark(), "fuzz needs 'schema' (the XTP schema whose types drive the inputs)");
            return null;
        }
        Path schemaFile = path(values.get("schema"));
        String export = values.containsKey("export") ? text(values.get("export"), "export") : null;
        int runs = values.containsKey("runs") ? (int) number(values.get("runs"), "runs", 1, Integer.MAX_VALUE)
                : Fuzzer.DEFAULT_RUNS;
        long seed = values.containsKey("seed") ? number(values.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE)
                : FuzzDefinition.DEFAULT_SEED;
        Duration time = values.containsKey("time") ? duration(values.get("time")) : Fuzzer.DEFAULT_TIME;
        if (found > 0 || schemaFile == null) {
            return null;
        }
        Schema schema;
        try {
            schema = SchemaFiles.load(schemaFile);
        } catch (FuzzSetupException e) {
            problems.accept(values.get("schema").getStartMark(), "fuzz.schema: " + e.getMessage());
            return null;
        }
        if (export == null && schema.exports().size() == 1) {
            export = schema.exports().keySet().iterator().next();
        }
        if (export == null || schema.export(export).isEmpty()) {
            problems.accept((values.containsKey("export") ? values.get("export") : node).getStartMark(),
                    "fuzz.export: " + schemaFile.getFileName() + " has " + (export == null ? "several exports"
                            : "no export '" + export + "'") + "; name one of " + String.join(", ",
                            schema.exports().keySet()));
            return null;
        }
        return new FuzzDefinition(schemaFile, schema, export, runs, seed, time);
    }

    private String text(Node node, String key) {
        if (node instanceof ScalarNode scalar && !scalar.getValue().isEmpty()) {
            return scalar.getValue();
        }
        problems.accept(node.getStartMark(), "'fuzz." + key + "' must be a single value");
        return null;
    }

    private Path path(Node node) {
        String text = text(node, "schema");
        try {
            return text == null ? null : dir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            problems.accept(node.getStartMark(), "'fuzz.schema' is not a path: " + e.getMessage());
            return null;
        }
    }

    private long number(Node node, String key, long min, long max) {
        String text = text(node, key);
        try {
            long value = text == null ? min : Long.parseLong(text.trim());
            if (value < min) {
                problems.accept(node.getStartMark(), "'fuzz." + key + "' must be at least " + min);
            } else if (value > max) {
                problems.accept(node.getStartMark(), "'fuzz." + key + "' is too large: it is " + min + " to " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            problems.accept(node.getStartMark(), "'fuzz." + key + "' must be a whole number, not '" + text + "'");
            return min;
        }
    }

    private Duration duration(Node node) {
        String text = text(node, "time");
        try {
            return text == null ? Fuzzer.DEFAULT_TIME : Quantities.positiveDuration(text);
        } catch (IllegalArgumentException e) {
            problems.accept(node.getStartMark(), "'fuzz.time': " + e.getMessage());
            return Fuzzer.DEFAULT_TIME;
        }
    }
}

package dev.hackablemail.schema.xtp;

import java.io.Reader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads values out of SnakeYAML nodes and records a {@link Problem}, with path and line,
 * for each value of the wrong kind. Readers return null for a value they could not read,
 * so that the caller carries on and more problems get reported in the same run.
 *
 * <p>The one way this project reads YAML files whose problems must name a line: XTP schemas
 * and the JUnit engine's {@code *.simulation.yaml} files.
 */
public final class NodeReader {

    private final String source;
    private final List<Problem> problems = new ArrayList<>();

    /** A reader whose problems name {@code source} (a file name or path). */
    public NodeReader(String source) {
        this.source = source;
    }

    /**
     * The node tree of a YAML document, or null when the document is empty or not YAML (a
     * problem with the line of the syntax error is then recorded).
     */
    public Node compose(Reader yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        try {
            return new Yaml(options).compose(yaml);
        } catch (YAMLException e) {
            problems.add(YamlErrors.problem(source, e));
        }
        return null;
    }

    public String source() {
        return source;
    }

    /** Every problem recorded so far, in the order found. */
    public List<Problem> problems() {
        return problems;
    }

    public void report(Node node, String path, String message) {
        problems.add(new Problem(source, path, locate(node), message));
    }

    public void report(Location location, String path, String message) {
        problems.add(new Problem(source, path, location, message));
    }

    public static Location locate(Node node) {
        if (node == null || node.getStartMark() == null) {
            return null;
        }
        return new Location(node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    /**
     * The entries of a mapping by key text, in file order; reports a node that is not a
     * mapping (returning null) and keys that occur twice (keeping the first).
     */
    public Map<String, NodeTuple> mapping(Node node, String path, String what) {
        if (!(node instanceof MappingNode)) {
            report(node, path, what + " must be a mapping, got " + describe(node));
            return null;
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                report(keyNode, path, "a key must be a plain name, got " + describe(keyNode));
                continue;
            }
            String key = ((ScalarNode) keyNode).getValue();
            if (entries.containsKey(key)) {
                report(keyNode, YamlPaths.key(path, key), "duplicate key '" + key + "'");
                continue;
            }
            entries.put(key, tuple);
        }
        return entries;
    }

    /** Reports each key not in {@code allowed}; {@code hint} may explain a key better (or return null). */
    public void rejectUnknownKeys(Map<String, NodeTuple> entries, String path, Collection<String> allowed,
            Function<String, String> hint) {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (allowed.contains(e.getKey())) {
                continue;
            }
            String better = hint.apply(e.getKey());
            report(e.getValue().getKeyNode(), YamlPaths.key(path, e.getKey()), better != null
                    ? better
                    : "unknown key '" + e.getKey() + "' (allowed here: " + String.join(", ", allowed) + ")");
        }
    }

    /** Reports each key not in {@code allowed}. */
    public void rejectUnknownKeys(Map<String, NodeTuple> entries, String path, Collection<String> allowed) {
        rejectUnknownKeys(entries, path, allowed, key -> null);
    }

    /** A scalar's text (any scalar: YAML may read {@code 2024} as a number); null if not a scalar. */
    public String text(Node node, String path, String what) {
        if (node instanceof ScalarNode && !Tag.NULL.equals(node.getTag())) {
            return ((ScalarNode) node).getValue();
        }
        report(node, path, what + " must be a string, got " + describe(node));
        return null;
    }

    /** A true/false scalar; null if it is something else. */
    Boolean bool(Node node, String path, String what) {
        if (node instanceof ScalarNode && Tag.BOOL.equals(node.getTag())) {
            String v = ((ScalarNode) node).getValue().toLowerCase(Locale.ROOT);
            return v.equals("true") || v.equals("yes") || v.equals("on");
        }
        report(node, path, what + " must be true or false, got " + describe(node));
        return null;
    }

    /** The elements of a sequence; null if the node is not one. */
    List<Node> list(Node node, String path, String what) {
        if (node instanceof SequenceNode) {
            return ((SequenceNode) node).getValue();
        }
        report(node, path, what + " must be a list, got " + describe(node));
        return null;
    }

    /** A list of strings (each must be a YAML string, so {@code yes} or {@code 1} must be quoted). */
    List<String> strings(Node node, String path, String what) {
        List<Node> elements = list(node, path, what);
        if (elements == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            Node element = elements.get(i);
            String elementPath = YamlPaths.index(path, i);
            if (element instanceof ScalarNode && Tag.STR.equals(element.getTag())) {
                values.add(((ScalarNode) element).getValue());
            } else if (element instanceof ScalarNode && !Tag.NULL.equals(element.getTag())) {
                report(element, elementPath, "must be a string, got " + describe(element)
                        + ": quote it ('" + ((ScalarNode) element).getValue() + "')");
            } else {
                report(element, elementPath, "must be a string, got " + describe(element));
            }
        }
        return values;
    }

    /** How a node reads to a person: "a mapping", "a list", "an integer", ... */
    public static String describe(Node node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        String text = node instanceof ScalarNode ? " (" + ((ScalarNode) node).getValue() + ")" : "";
        if (Tag.NULL.equals(tag)) {
            return "nothing (null)";
        } else if (Tag.BOOL.equals(tag)) {
            return "a boolean" + text;
        } else if (Tag.INT.equals(tag)) {
            return "an integer" + text;
        } else if (Tag.FLOAT.equals(tag)) {
            return "a number" + text;
        } else if (Tag.STR.equals(tag)) {
            return "a string" + text;
        }
        return "a " + tag.getClassName() + " value" + text;
    }
}

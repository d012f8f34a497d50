package dev.hackablemail.schema.xtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads one v1-draft export or import: description, code samples, input and output. */
final class FunctionReader {

    private static final List<String> FUNCTION_KEYS = List.of("description", "codeSamples", "input", "output");
    private static final List<String> SAMPLE_KEYS = List.of("lang", "source", "label");

    private final NodeReader reader;
    private final TypeReader types;

    FunctionReader(NodeReader reader, TypeReader types) {
        this.reader = reader;
        this.types = types;
    }

    /** {@code location}: where the function's name stands. */
    FunctionDecl read(String name, Location location, Node node, String path) {
        if (node instanceof ScalarNode && Tag.NULL.equals(node.getTag())) {
            // "name:" with nothing after it: no description, no input, no output
            return new FunctionDecl(name, null, List.of(), null, null, location);
        }
        Map<String, NodeTuple> entries = reader.mapping(node, path, "a function");
        if (entries == null) {
            return new FunctionDecl(name, null, List.of(), null, null, location);
        }
        reader.rejectUnknownKeys(entries, path, FUNCTION_KEYS, key -> null);
        String description = null;
        List<CodeSample> samples = List.of();
        Parameter input = null;
        Parameter output = null;
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            Node value = e.getValue().getValueNode();
            String at = YamlPaths.key(path, e.getKey());
            switch (e.getKey()) {
                case "description": description = reader.text(value, at, "description"); break;
                case "codeSamples": samples = readSamples(value, at); break;
                case "input": input = readParameter(value, at); break;
                case "output": output = readParameter(value, at); break;
                default: break; // reported above
            }
        }
        return new FunctionDecl(name, description, samples, input, output, location);
    }

    private List<CodeSample> readSamples(Node node, String path) {
        List<Node> elements = reader.list(node, path, "codeSamples");
        List<CodeSample> samples = new ArrayList<>();
        if (elements == null) {
            return samples;
        }
        for (int i = 0; i < elements.size(); i++) {
            String at = YamlPaths.index(path, i);
            Map<String, NodeTuple> entries = reader.mapping(elements.get(i), at, "a code sample");
            if (entries == null) {
                continue;
            }
            reader.rejectUnknownKeys(entries, at, SAMPLE_KEYS, key -> null);
            String lang = required(entries, elements.get(i), at, "lang");
            String source = required(entries, elements.get(i), at, "source");
            String label = entries.containsKey("label")
                    ? reader.text(entries.get("label").getValueNode(), YamlPaths.key(at, "label"), "label")
                    : null;
            samples.add(new CodeSample(lang, source, label));
        }
        return samples;
    }

    private String required(Map<String, NodeTuple> entries, Node owner, String path, String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            reader.report(owner, path, "a code sample needs " + key);
            return null;
        }
        return reader.text(tuple.getValueNode(), YamlPaths.key(path, key), key);
    }

    private Parameter readParameter(Node node, String path) {
        Map<String, NodeTuple> entries = reader.mapping(node, path, "an input or output");
        if (entries == null) {
            return null;
        }
        reader.rejectUnknownKeys(entries, path, TypeReader.keysFor(TypeReader.Level.PARAMETER),
                key -> TypeReader.hint(key, TypeReader.Level.PARAMETER));
        ContentType contentType = null;
        NodeTuple ct = entries.get("contentType");
        if (ct == null) {
            reader.report(node, path, "contentType is missing (one of: " + contentTypes() + ")");
        } else {
            String at = YamlPaths.key(path, "contentType");
            String text = reader.text(ct.getValueNode(), at, "contentType");
            if (text != null) {
                contentType = ContentType.fromText(text).orElse(null);
                if (contentType == null) {
                    reader.report(ct.getValueNode(), at, "unknown contentType '" + text + "' (one of: " + contentTypes() + ")");
                }
            }
        }
        return new Parameter(contentType, types.read(entries, node, path, TypeReader.Level.PARAMETER));
    }

    private static String contentTypes() {
        StringBuilder sb = new StringBuilder();
        for (ContentType c : ContentType.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.text());
        }
        return sb.toString();
    }
}

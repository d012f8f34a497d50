package dev.hackablemail.schema.xtp;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads the top of a schema document and dispatches on its version. */
final class DocumentReader {

    private static final List<String> V0_KEYS = List.of("version", "exports");
    private static final List<String> V1_KEYS = List.of("version", "exports", "imports", "components");

    private final NodeReader reader;

    DocumentReader(NodeReader reader) {
        this.reader = reader;
    }

    /** The schema as far as it could be read, or null when even its version is unknown. */
    Schema read(Node root) {
        if (root == null) {
            reader.report((Location) null, "", "the file is empty: an XTP schema starts with 'version: v1-draft'");
            return null;
        }
        Map<String, NodeTuple> top = reader.mapping(root, "", "an XTP schema");
        if (top == null) {
            return null;
        }
        NodeTuple version = top.get("version");
        if (version == null) {
            reader.report(root, "", "version is missing: an XTP schema starts with 'version: v1-draft'");
            return null;
        }
        String text = reader.text(version.getValueNode(), "version", "version");
        if (text == null) {
            return null;
        }
        XtpVersion v = XtpVersion.fromText(text).orElse(null);
        if (v == null) {
            reader.report(version.getValueNode(), "version", "unknown version '" + text + "' (one of: v0, v1-draft)");
            return null;
        }
        return v == XtpVersion.V0 ? readV0(root, top) : readV1(root, top);
    }

    private Schema readV0(Node root, Map<String, NodeTuple> top) {
        reader.rejectUnknownKeys(top, "", V0_KEYS, key -> key.equals("imports") || key.equals("components")
                ? "'" + key + "' needs version v1-draft; a v0 schema lists only export names" : null);
        Map<String, FunctionDecl> exports = new LinkedHashMap<>();
        NodeTuple tuple = top.get("exports");
        if (tuple == null) {
            reader.report(root, "", "exports is missing: a v0 schema lists its export names under exports");
        } else {
            List<Node> names = reader.list(tuple.getValueNode(), "exports", "exports of a v0 schema");
            for (int i = 0; names != null && i < names.size(); i++) {
                Node node = names.get(i);
                String at = YamlPaths.index("exports", i);
                if (!(node instanceof ScalarNode) || Tag.NULL.equals(node.getTag())) {
                    reader.report(node, at, "an export name must be a string, got " + NodeReader.describe(node));
                    continue;
                }
                String name = ((ScalarNode) node).getValue();
                Identifiers.problem(name).ifPresent(msg -> reader.report(node, at, msg));
                if (exports.containsKey(name)) {
                    reader.report(node, at, "export '" + name + "' is listed twice");
                }
                exports.putIfAbsent(name, new FunctionDecl(name, null, List.of(), null, null, NodeReader.locate(node)));
            }
        }
        return new Schema(reader.source(), XtpVersion.V0, exports, Map.of(), Map.of());
    }

    private Schema readV1(Node root, Map<String, NodeTuple> top) {
        reader.rejectUnknownKeys(top, "", V1_KEYS, key -> null);
        Map<String, NodeTuple> schemas = componentSchemas(top.get("components"));
        Set<String> typeNames = new LinkedHashSet<>(schemas.keySet());
        TypeReader types = new TypeReader(reader, typeNames);
        Map<String, TypeSchema> components = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e : schemas.entrySet()) {
            String at = YamlPaths.key("components.schemas", e.getKey());
            Identifiers.problem(e.getKey()).ifPresent(msg -> reader.report(e.getValue().getKeyNode(), at, msg));
            TypeSchema schema = types.read(e.getValue().getValueNode(), at, TypeReader.Level.COMPONENT);
            if (schema != null) {
                components.put(e.getKey(), schema);
            }
        }
        FunctionReader functions = new FunctionReader(reader, types);
        if (!top.containsKey("exports")) {
            reader.report(root, "", "exports is missing: a schema declares at least the exports a plugin must provide");
        }
        Map<String, FunctionDecl> exports = readFunctions(top.get("exports"), "exports", functions);
        Map<String, FunctionDecl> imports = readFunctions(top.get("imports"), "imports", functions);
        return new Schema(reader.source(), XtpVersion.V1_DRAFT, exports, imports, components);
    }

    private Map<String, NodeTuple> componentSchemas(NodeTuple components) {
        if (components == null) {
            return Map.of();
        }
        Map<String, NodeTuple> entries = reader.mapping(components.getValueNode(), "components", "components");
        if (entries == null) {
            return Map.of();
        }
        reader.rejectUnknownKeys(entries, "components", List.of("schemas"), key -> null);
        NodeTuple schemas = entries.get("schemas");
        if (schemas == null) {
            return Map.of();
        }
        Map<String, NodeTuple> byName = reader.mapping(schemas.getValueNode(), "components.schemas", "components.schemas");
        return byName == null ? Map.of() : byName;
    }

    private Map<String, FunctionDecl> readFunctions(NodeTuple tuple, String path, FunctionReader functions) {
        Map<String, FunctionDecl> result = new LinkedHashMap<>();
        if (tuple == null) {
            return result;
        }
        Node node = tuple.getValueNode();
        if (node instanceof ScalarNode && Tag.NULL.equals(node.getTag())) {
            return result; // "imports:" with nothing after it
        }
        Map<String, NodeTuple> entries = reader.mapping(node, path, path + " in a v1-draft schema");
        if (entries == null) {
            return result;
        }
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            String at = YamlPaths.key(path, e.getKey());
            Identifiers.problem(e.getKey()).ifPresent(msg -> reader.report(e.getValue().getKeyNode(), at, msg));
            result.put(e.getKey(), functions.read(e.getKey(),
                    NodeReader.locate(e.getValue().getKeyNode()), e.getValue().getValueNode(), at));
        }
        return result;
    }
}

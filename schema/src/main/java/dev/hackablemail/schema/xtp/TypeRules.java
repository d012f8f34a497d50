package dev.hackablemail.schema.xtp;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The rules between the keys of one type description: a format that fits the type, keys
 * that fit the type, nothing beside {@code $ref} but a description, required names that
 * are properties. Checks only keys that are present, so one mistake is reported once.
 */
final class TypeRules {

    private final NodeReader reader;
    private final Map<String, NodeTuple> entries;
    private final String path;
    private final TypeReader.Level level;

    TypeRules(NodeReader reader, Map<String, NodeTuple> entries, String path, TypeReader.Level level) {
        this.reader = reader;
        this.entries = entries;
        this.path = path;
        this.level = level;
    }

    void check(TypeSchema s) {
        if (has("$ref")) {
            for (String key : entries.keySet()) {
                if (!TypeReader.isRefCompanion(key) && TypeReader.keysFor(level).contains(key)) {
                    report(key, "'" + key + "' cannot be combined with $ref: a reference takes its type from the"
                            + " schema it names (only description and nullable may stand beside it)");
                }
            }
            return;
        }
        checkFormat(s);
        XtpType type = s.type();
        if (has("items") && type != XtpType.ARRAY) {
            report("items", "items applies only to type array");
        }
        if (type == XtpType.ARRAY && !has("items")) {
            report("type", "type array needs items: the type of its elements");
        }
        if (type != null && type != XtpType.OBJECT) {
            for (String key : List.of("additionalProperties", "properties", "required")) {
                if (has(key)) {
                    report(key, key + " applies only to type object, not " + type);
                }
            }
        }
        if (has("properties") && has("additionalProperties")) {
            report("additionalProperties", "an object has either properties or additionalProperties"
                    + " (a map with string keys), not both");
        }
        if (has("enum")) {
            if (type != null && type != XtpType.STRING) {
                report("enum", "enum values are strings: the type must be string or left out, not " + type);
            }
            if (has("properties") || has("additionalProperties")) {
                report("enum", "a schema is either an enum or an object, not both");
            }
        }
        checkRequired(s);
        // (a lone format is reported as needing a type already)
        if (!has("type") && !has("properties") && !has("additionalProperties") && !has("enum") && !has("format")) {
            reader.report(s.location(), path, level == TypeReader.Level.COMPONENT
                    ? "defines no type: give it type, properties, additionalProperties, enum or $ref"
                    : "needs a type or a $ref");
        }
    }

    private void checkFormat(TypeSchema s) {
        String format = s.format();
        if (format == null) {
            return;
        }
        if (!XtpType.ALL_FORMATS.contains(format)) {
            report("format", "unknown format '" + format + "' (one of: " + String.join(", ", XtpType.ALL_FORMATS) + ")");
            return;
        }
        XtpType type = s.type();
        if (type == null) {
            if (!has("type")) {
                report("format", "format '" + format + "' needs a type, e.g. type: " + typeOf(format));
            }
            return;
        }
        if (!type.formats().contains(format)) {
            report("format", "format '" + format + "' does not apply to type " + type
                    + (type.formats().isEmpty()
                            ? " (type " + type + " takes no format)"
                            : " (formats of " + type + ": " + String.join(", ", type.formats()) + ")"));
        }
    }

    private void checkRequired(TypeSchema s) {
        if (!has("required") || (s.type() != null && s.type() != XtpType.OBJECT)) {
            return; // a non-object with required is reported as such
        }
        Node node = entries.get("required").getValueNode();
        if (!(node instanceof SequenceNode)) {
            return;
        }
        List<Node> elements = ((SequenceNode) node).getValue();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < elements.size(); i++) {
            Node element = elements.get(i);
            if (!(element instanceof ScalarNode) || !Tag.STR.equals(element.getTag())) {
                continue; // reported when read
            }
            String name = ((ScalarNode) element).getValue();
            String at = YamlPaths.index(YamlPaths.key(path, "required"), i);
            if (!seen.add(name)) {
                reader.report(element, at, "'" + name + "' is listed twice");
            } else if (!s.properties().containsKey(name)) {
                reader.report(element, at, "required names '" + name + "', which is not a property"
                        + (s.properties().isEmpty() ? "" : " (properties: " + String.join(", ", s.properties().keySet()) + ")"));
            }
        }
    }

    private static XtpType typeOf(String format) {
        for (XtpType t : XtpType.values()) {
            if (t.formats().contains(format)) {
                return t;
            }
        }
        return XtpType.STRING;
    }

    private boolean has(String key) {
        return entries.containsKey(key);
    }

    private void report(String key, String message) {
        reader.report(entries.get(key).getKeyNode(), YamlPaths.key(path, key), message);
    }
}

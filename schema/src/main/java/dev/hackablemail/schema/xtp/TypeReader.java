package dev.hackablemail.schema.xtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one type description (a {@code components.schemas} entry, a property, array
 * items, map values, or the type part of an input/output) and checks the rules that can
 * be seen in it alone: known keys, known types and formats, formats that fit the type,
 * keys that fit the type, {@code $ref}s that name an existing schema, required names
 * that are properties.
 */
final class TypeReader {

    /** Where a type description sits; each place allows different keys. */
    enum Level { COMPONENT, PROPERTY, PARAMETER }

    // deeper nesting than this is a mistake (or a YAML alias loop), not a schema
    private static final int MAX_DEPTH = 32;
    private static final Pattern REF = Pattern.compile("#/components/schemas/([^/]+)");
    private static final List<String> VALUE_KEYS =
            List.of("description", "type", "format", "items", "additionalProperties", "nullable", "$ref");
    private static final Set<String> PROPERTY_KEYS = new LinkedHashSet<>(VALUE_KEYS);
    private static final Set<String> COMPONENT_KEYS = with(VALUE_KEYS, "properties", "required", "enum");
    private static final Set<String> PARAMETER_KEYS = with(List.of("contentType"), VALUE_KEYS.toArray(String[]::new));
    // what may stand beside $ref: the rest comes from the schema it names
    private static final Set<String> REF_COMPANIONS = Set.of("$ref", "description", "nullable", "contentType");

    private final NodeReader reader;
    private final Set<String> typeNames;

    /** {@code typeNames}: the names in {@code components.schemas}, for checking {@code $ref}s. */
    TypeReader(NodeReader reader, Set<String> typeNames) {
        this.reader = reader;
        this.typeNames = typeNames;
    }

    static Set<String> keysFor(Level level) {
        switch (level) {
            case COMPONENT: return COMPONENT_KEYS;
            case PARAMETER: return PARAMETER_KEYS;
            default: return PROPERTY_KEYS;
        }
    }

    TypeSchema read(Node node, String path, Level level) {
        return read(node, path, level, 0);
    }

    private TypeSchema read(Node node, String path, Level level, int depth) {
        if (depth > MAX_DEPTH) {
            reader.report(node, path, "nested more than " + MAX_DEPTH + " levels deep");
            return null;
        }
        Map<String, NodeTuple> entries = reader.mapping(node, path, "a type description");
        if (entries == null) {
            return null;
        }
        reader.rejectUnknownKeys(entries, path, keysFor(level), key -> hint(key, level));
        return read(entries, node, path, level, depth);
    }

    /** Reads the type keys of an already split mapping (a parameter's, whose contentType the caller reads). */
    TypeSchema read(Map<String, NodeTuple> entries, Node node, String path, Level level) {
        return read(entries, node, path, level, 0);
    }

    private TypeSchema read(Map<String, NodeTuple> entries, Node node, String path, Level level, int depth) {
        TypeSchema.Builder b = TypeSchema.builder().location(NodeReader.locate(node));
        Set<String> allowed = keysFor(level);
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            String key = e.getKey();
            Node value = e.getValue().getValueNode();
            String at = YamlPaths.key(path, key);
            if (!allowed.contains(key)) {
                continue; // already reported
            }
            switch (key) {
                case "description": b.description(reader.text(value, at, "description")); break;
                case "nullable": b.nullable(Boolean.TRUE.equals(reader.bool(value, at, "nullable"))); break;
                case "$ref": b.ref(readRef(value, at)); break;
                case "type": b.type(readType(value, at)); break;
                case "format": b.format(reader.text(value, at, "format")); break;
                case "items": b.items(read(value, at, Level.PROPERTY, depth + 1)); break;
                case "additionalProperties": b.additionalProperties(read(value, at, Level.PROPERTY, depth + 1)); break;
                case "properties": readProperties(value, at, b, depth); break;
                case "required": b.required(orEmpty(reader.strings(value, at, "required"))); break;
                case "enum": b.enumValues(readEnum(value, at)); break;
                default: break; // contentType: the caller's
            }
        }
        TypeSchema schema = b.build();
        new TypeRules(reader, entries, path, level).check(schema);
        return schema;
    }

    private String readRef(Node node, String path) {
        String text = reader.text(node, path, "$ref");
        if (text == null) {
            return null;
        }
        Matcher m = REF.matcher(text);
        if (!m.matches()) {
            reader.report(node, path, "'" + text + "' is not a schema reference: write '#/components/schemas/NAME'");
            return null;
        }
        String name = m.group(1);
        if (!typeNames.contains(name)) {
            reader.report(node, path, "no schema named '" + name + "' in components.schemas"
                    + (typeNames.isEmpty() ? " (there are none)" : " (there are: " + String.join(", ", typeNames) + ")"));
        }
        return name; // kept even when dangling, so the model shows what was meant
    }

    private XtpType readType(Node node, String path) {
        String text = reader.text(node, path, "type");
        if (text == null) {
            return null;
        }
        return XtpType.fromText(text).orElseGet(() -> {
            reader.report(node, path, "unknown type '" + text + "' (one of: "
                    + Arrays.stream(XtpType.values()).map(XtpType::text).collect(Collectors.joining(", ")) + ")");
            return null;
        });
    }

    private void readProperties(Node node, String path, TypeSchema.Builder b, int depth) {
        Map<String, NodeTuple> properties = reader.mapping(node, path, "properties");
        if (properties == null) {
            return;
        }
        for (Map.Entry<String, NodeTuple> p : properties.entrySet()) {
            String at = YamlPaths.key(path, p.getKey());
            Identifiers.problem(p.getKey()).ifPresent(msg -> reader.report(p.getValue().getKeyNode(), at, msg));
            TypeSchema property = read(p.getValue().getValueNode(), at, Level.PROPERTY, depth + 1);
            // a placeholder keeps the name known, so 'required' does not report it again
            b.property(p.getKey(), property != null ? property
                    : TypeSchema.builder().location(NodeReader.locate(p.getValue().getValueNode())).build());
        }
    }

    private List<String> readEnum(Node node, String path) {
        List<String> values = orEmpty(reader.strings(node, path, "enum"));
        if (!(node instanceof SequenceNode)) {
            return values;
        }
        List<Node> elements = ((SequenceNode) node).getValue();
        if (elements.isEmpty()) {
            reader.report(node, path, "enum needs at least one value");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < elements.size(); i++) {
            Node element = elements.get(i);
            if (element instanceof ScalarNode && Tag.STR.equals(element.getTag())
                    && !seen.add(((ScalarNode) element).getValue())) {
                reader.report(element, YamlPaths.index(path, i),
                        "duplicate enum value '" + ((ScalarNode) element).getValue() + "'");
            }
        }
        return values;
    }

    static String hint(String key, Level level) {
        if (level != Level.COMPONENT && (key.equals("properties") || key.equals("required"))) {
            return "'" + key + "' is only allowed in components.schemas: XTP has no inline object types;"
                    + " declare the object there and point to it with $ref";
        }
        if (level != Level.COMPONENT && key.equals("enum")) {
            return "'enum' is only allowed in components.schemas: declare the enum there and point to it with $ref";
        }
        if (key.equals("ref")) {
            return "unknown key 'ref': did you mean '$ref'?";
        }
        return null;
    }

    private static Set<String> with(List<String> first, String... more) {
        Set<String> keys = new LinkedHashSet<>(first);
        keys.addAll(List.of(more));
        return keys;
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? new ArrayList<>() : list;
    }

    static boolean isRefCompanion(String key) {
        return REF_COMPANIONS.contains(key);
    }
}

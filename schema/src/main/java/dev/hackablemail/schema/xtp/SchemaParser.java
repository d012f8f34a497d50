package dev.hackablemail.schema.xtp;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parses and validates XTP schemas ({@code v1-draft} and {@code v0}).
 *
 * <pre>{@code
 * SchemaResult result = SchemaParser.read(Path.of("on-email.yaml"));
 * result.problems().forEach(System.out::println);   // every problem, with path and line
 * Schema schema = result.orThrow();                  // or: all-or-nothing
 * }</pre>
 *
 * <p>Thread-safe: each call uses its own SnakeYAML instance.
 */
public final class SchemaParser {

    private static final Comparator<Problem> IN_FILE_ORDER = Comparator.comparing(
            Problem::location, Comparator.nullsFirst(
                    Comparator.comparingInt(Location::line).thenComparingInt(Location::column)));

    private SchemaParser() {}

    /** Reads and validates a schema file; the file's name is used in messages. */
    public static SchemaResult read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path name = file.getFileName();
        return parse(text, name == null ? file.toString() : name.toString());
    }

    /**
     * Parses and validates schema text.
     *
     * @param yaml the schema
     * @param source the name to use in messages, e.g. the file name
     * @throws SchemaSyntaxException when the text is not YAML
     */
    public static SchemaResult parse(String yaml, String source) throws SchemaSyntaxException {
        Node root = compose(yaml, source);
        NodeReader reader = new NodeReader(source);
        Schema schema = new DocumentReader(reader).read(root);
        List<Problem> problems = new ArrayList<>(reader.problems());
        if (schema != null) {
            problems.addAll(CycleFinder.find(schema));
            NodeReader semantic = new NodeReader(source);
            ContentTypeRules.check(schema, semantic);
            problems.addAll(semantic.problems());
        }
        problems.sort(IN_FILE_ORDER); // stable: same-place problems keep their order
        return new SchemaResult(source, schema, problems);
    }

    private static Node compose(String yaml, String source) throws SchemaSyntaxException {
        NodeReader syntax = new NodeReader(source);
        Node root = syntax.compose(new StringReader(yaml));
        if (!syntax.problems().isEmpty()) {
            throw new SchemaSyntaxException(syntax.problems().get(0).toString(), null);
        }
        return root;
    }
}

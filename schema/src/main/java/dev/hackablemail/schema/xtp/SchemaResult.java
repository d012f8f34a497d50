package dev.hackablemail.schema.xtp;

import java.util.List;

/**
 * What parsing a schema file gave: the schema, as far as it could be read, and every
 * problem found, in file order.
 *
 * @param source the file's name as given to the parser
 * @param schema null when not even the version could be read
 * @param problems empty for a valid schema
 */
public record SchemaResult(String source, Schema schema, List<Problem> problems) {

    public SchemaResult {
        problems = List.copyOf(problems);
    }

    public boolean isValid() {
        return problems.isEmpty() && schema != null;
    }

    /** The schema; throws listing every problem when there is one. */
    public Schema orThrow() {
        if (!isValid()) {
            throw new InvalidSchemaException(source, problems);
        }
        return schema;
    }
}

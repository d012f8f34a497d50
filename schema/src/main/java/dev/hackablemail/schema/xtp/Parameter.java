package dev.hackablemail.schema.xtp;

/**
 * The input or the output of an export or import.
 *
 * @param contentType how the bytes are encoded; null only in a schema with problems
 * @param type what the bytes hold (a {@code $ref}, or an inline type); its description
 *     is the parameter's description
 */
public record Parameter(ContentType contentType, TypeSchema type) {

    public String description() {
        return type.description();
    }
}

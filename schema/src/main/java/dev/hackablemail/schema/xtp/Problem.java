package dev.hackablemail.schema.xtp;

import java.util.Objects;

/**
 * One thing wrong with a schema file.
 *
 * @param source the file's name as given to the parser, e.g. {@code on-email.yaml}
 * @param path dotted path of the offending value, e.g. {@code exports.onEmail.input.$ref};
 *     empty for the document as a whole
 * @param location line and column, or null when unknown
 * @param message what is wrong and, where it helps, what would be right
 */
public record Problem(String source, String path, Location location, String message) {

    public Problem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code on-email.yaml:12:7: exports.onEmail.input.$ref: message}, parts left out when unknown. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source);
        if (location != null) {
            sb.append(':').append(location);
        }
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}

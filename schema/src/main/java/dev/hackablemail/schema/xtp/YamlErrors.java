package dev.hackablemail.schema.xtp;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A YAML syntax error as every command prints it: {@code bad.yaml:2:1: not valid YAML:
 * expected ...}, the line and column of the problem and SnakeYAML's one-line reason, never
 * its multi-line message with the source excerpt.
 */
public final class YamlErrors {

    private YamlErrors() {}

    /** The problem {@code e} reports in {@code source} (a file name or path). */
    public static Problem problem(String source, YAMLException e) {
        if (e instanceof MarkedYAMLException marked) {
            Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            Location where = mark == null ? null : new Location(mark.getLine() + 1, mark.getColumn() + 1);
            String reason = marked.getProblem() == null ? oneLine(e.getMessage()) : marked.getProblem();
            return new Problem(source, "", where, "not valid YAML: " + reason);
        }
        return new Problem(source, "", null, "not valid YAML: " + oneLine(e.getMessage()));
    }

    /** {@link #problem} as one line. */
    public static String describe(String source, YAMLException e) {
        return problem(source, e).toString();
    }

    private static String oneLine(String message) {
        return message == null ? "no details" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}

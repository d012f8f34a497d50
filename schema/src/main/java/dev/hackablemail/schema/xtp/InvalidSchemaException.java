package dev.hackablemail.schema.xtp;

import java.util.List;

/** Thrown by {@link SchemaResult#orThrow()}: the schema has problems, all listed in the message. */
public class InvalidSchemaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidSchemaException(String source, List<Problem> problems) {
        super(message(source, problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(String source, List<Problem> problems) {
        StringBuilder sb = new StringBuilder(source).append(" is not a valid XTP schema (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (Problem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}

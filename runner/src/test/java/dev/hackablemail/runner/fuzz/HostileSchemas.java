package dev.hackablemail.runner.fuzz;

/** Schemas the validator accepts that once hung the fuzzer or overflowed its stack. */
public final class HostileSchemas {

    private HostileSchemas() {}

    /** A type {@code Tree} whose map values are {@code Tree} again: the input of {@code export}. */
    public static String recursiveMapValues(String export) {
        return exportTaking(export, "Tree") + """
                    Tree:
                      properties:
                        children: {type: object, additionalProperties: {$ref: "#/components/schemas/Tree"}}
                """;
    }

    /** 3,000 types T0..T2999, each with a required property {@code p} of the next (the last: a string). */
    public static String chainOf3000RequiredTypes(String export) {
        StringBuilder chain = new StringBuilder(exportTaking(export, "T0"));
        for (int i = 0; i < 3000; i++) {
            chain.append("    T").append(i).append(":\n      required: [p]\n      properties:\n        p: ")
                    .append(i < 2999 ? "{$ref: \"#/components/schemas/T" + (i + 1) + "\"}" : "{type: string}")
                    .append('\n');
        }
        return chain.toString();
    }

    /** A schema up to its {@code schemas:} line: {@code export} takes the component {@code type}. */
    private static String exportTaking(String export, String type) {
        return """
                version: v1-draft
                exports:
                  %s:
                    input: {contentType: application/json, $ref: "#/components/schemas/%s"}
                    output: {contentType: application/json, type: integer}
                components:
                  schemas:
                """.formatted(export, type);
    }
}

package dev.hackablemail.schema.xtp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed XTP schema: the contract between a host and its plugins. Maps keep file
 * order. Get one from {@link SchemaParser}; a schema that came with problems is only a
 * best effort and should not be used to check plugins or payloads.
 *
 * @param source the file's name, used in messages (e.g. {@code on-email.yaml})
 * @param version the schema's version
 * @param exports functions the plugin must export, by name
 * @param imports host functions the plugin may import from {@code extism:host/user}, by name
 * @param types the {@code components.schemas} entries, by name
 */
public record Schema(
        String source,
        XtpVersion version,
        Map<String, FunctionDecl> exports,
        Map<String, FunctionDecl> imports,
        Map<String, TypeSchema> types) {

    public Schema {
        exports = frozen(exports);
        imports = frozen(imports);
        types = frozen(types);
    }

    public Optional<FunctionDecl> export(String name) {
        return Optional.ofNullable(exports.get(name));
    }

    /** The host function {@code name} ({@code import} is a Java keyword). */
    public Optional<FunctionDecl> hostFunction(String name) {
        return Optional.ofNullable(imports.get(name));
    }

    /**
     * Follows {@code $ref}s to the schema that says what the value is. Returns the given
     * schema when it is not a reference, and empty when a reference dangles or loops.
     */
    public Optional<TypeSchema> resolve(TypeSchema schema) {
        TypeSchema current = schema;
        // a chain longer than the number of types must loop
        for (int hops = 0; hops <= types.size(); hops++) {
            if (current == null || !current.isRef()) {
                return Optional.ofNullable(current);
            }
            current = types.get(current.ref());
        }
        return Optional.empty();
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}

package dev.hackablemail.runner.init;

import dev.hackablemail.schema.xtp.CodeSample;
import dev.hackablemail.schema.xtp.ContentType;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Parameter;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.TypeSchema;
import dev.hackablemail.schema.xtp.XtpType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A schema as language bindings see it: every value is a {@link Shape}; objects with
 * properties and enums become named types (inline ones are named after where they appear,
 * e.g. {@code OrderItem} for the inline object of {@code Order.item}); {@code $ref}s to
 * anything else are followed. Shared by the C++ and AssemblyScript templates.
 */
final class BindingModel {

    /** What a value is. */
    sealed interface Shape permits Scalar, ArrayOf, MapOf, Named, Nullable, FreeForm {}

    enum Kind { STRING, DATE_TIME, BOOLEAN, INT32, INT64, FLOAT, DOUBLE, BUFFER }

    record Scalar(Kind kind) implements Shape {}

    record ArrayOf(Shape items) implements Shape {}

    /** A JSON object with string keys and values of one shape. */
    record MapOf(Shape values) implements Shape {}

    /** An object with properties or an enum, by its type name. */
    record Named(String name) implements Shape {}

    /** JSON null is allowed too. */
    record Nullable(Shape inner) implements Shape {}

    /** An object with no declared properties: any JSON object. */
    record FreeForm() implements Shape {}

    record Property(String name, Shape shape, boolean required, String description) {
        /** The shape without a {@link Nullable} wrapper. */
        Shape bare() {
            return shape instanceof Nullable n ? n.inner() : shape;
        }

        boolean nullable() {
            return shape instanceof Nullable;
        }
    }

    sealed interface NamedType permits ObjectType, EnumType {
        String name();

        String description();
    }

    record ObjectType(String name, String description, List<Property> properties) implements NamedType {}

    record EnumType(String name, String description, List<String> values) implements NamedType {}

    /** The input or output of a function; {@code shape} matters only for JSON. */
    record Param(ContentType contentType, Shape shape, String description) {}

    record Function(String name, String description, Param input, Param output, List<CodeSample> samples) {
        Optional<CodeSample> sample(String lang) {
            return samples.stream().filter(s -> s.lang().equalsIgnoreCase(lang)).findFirst();
        }
    }

    private final Schema schema;
    private final Map<String, NamedType> types = new LinkedHashMap<>();
    private final List<Function> exports = new ArrayList<>();
    private final List<Function> imports = new ArrayList<>();

    private BindingModel(Schema schema) {
        this.schema = schema;
    }

    static BindingModel of(Schema schema) {
        BindingModel model = new BindingModel(schema);
        schema.types().forEach((name, type) -> {
            TypeSchema resolved = schema.resolve(type).orElse(type);
            if (resolved == type && (type.hasProperties() || !type.enumValues().isEmpty())) {
                model.named(name, type);
            }
        });
        schema.exports().values().forEach(f -> model.exports.add(model.function(f)));
        schema.imports().values().forEach(f -> model.imports.add(model.function(f)));
        return model;
    }

    /** Named types, each after the types it contains where the containment allows an order. */
    List<NamedType> types() {
        return List.copyOf(types.values());
    }

    List<Function> exports() {
        return exports;
    }

    List<Function> imports() {
        return imports;
    }

    private Function function(FunctionDecl f) {
        String prefix = capitalized(f.name());
        return new Function(f.name(), f.description(), param(f.input(), prefix + "Input"),
                param(f.output(), prefix + "Output"), f.codeSamples());
    }

    private Param param(Parameter p, String inlineName) {
        if (p == null) {
            return null;
        }
        ContentType type = p.contentType() == null ? ContentType.JSON : p.contentType();
        Shape shape = type == ContentType.JSON ? shape(p.type(), inlineName) : null;
        return new Param(type, shape, p.description());
    }

    private Shape shape(TypeSchema declared, String inlineName) {
        TypeSchema type = schema.resolve(declared).orElse(declared);
        Shape bare;
        if (declared.isRef() && (type.hasProperties() || !type.enumValues().isEmpty())) {
            bare = new Named(named(refTarget(declared), type).name());
        } else if (type.hasProperties() || !type.enumValues().isEmpty()) {
            bare = new Named(named(inlineName, type).name());
        } else if (type.additionalProperties() != null) {
            bare = new MapOf(shape(type.additionalProperties(), inlineName + "Value"));
        } else {
            bare = plain(type, inlineName);
        }
        return declared.nullable() || type.nullable() ? new Nullable(bare) : bare;
    }

    /** The name of the object or enum a chain of {@code $ref}s ends at. */
    private String refTarget(TypeSchema declared) {
        String name = declared.ref();
        TypeSchema next = schema.types().get(name);
        while (next != null && next.isRef()) {
            name = next.ref();
            next = schema.types().get(name);
        }
        return name;
    }

    private Shape plain(TypeSchema type, String inlineName) {
        XtpType t = type.effectiveType();
        if (t == null) {
            return new Scalar(Kind.STRING);
        }
        switch (t) {
            case STRING:
                return new Scalar("date-time".equals(type.format()) ? Kind.DATE_TIME : Kind.STRING);
            case BOOLEAN:
                return new Scalar(Kind.BOOLEAN);
            case INTEGER:
                return new Scalar("int32".equals(type.format()) ? Kind.INT32 : Kind.INT64);
            case NUMBER:
                return new Scalar("float".equals(type.format()) ? Kind.FLOAT : Kind.DOUBLE);
            case BUFFER:
                return new Scalar(Kind.BUFFER);
            case ARRAY:
                return new ArrayOf(type.items() == null ? new FreeForm() : shape(type.items(), inlineName + "Item"));
            default:
                return new FreeForm();
        }
    }

    private NamedType named(String name, TypeSchema type) {
        NamedType existing = types.get(name);
        if (existing != null) {
            return existing;
        }
        if (!type.enumValues().isEmpty()) {
            EnumType e = new EnumType(name, type.description(), type.enumValues());
            types.put(name, e);
            return e;
        }
        // reserve the name first, so that recursive types end; dependencies come before it
        types.put(name, new ObjectType(name, type.description(), List.of()));
        List<Property> properties = new ArrayList<>();
        type.properties().forEach((property, schemaOf) -> properties.add(new Property(property,
                shape(schemaOf, name + capitalized(property)), type.isRequired(property), schemaOf.description())));
        ObjectType object = new ObjectType(name, type.description(), properties);
        types.remove(name);
        types.put(name, object);
        return object;
    }

    static String capitalized(String name) {
        return name.isEmpty() ? name : name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }
}

package dev.hackablemail.schema.xtp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One type description: an entry of {@code components.schemas}, a property, the
 * {@code items} of an array, the {@code additionalProperties} of a map, or the type part
 * of an input or output. Absent keys are null (or empty for the collections).
 *
 * <p>What the value is, in order: a reference when {@link #ref()} is set (the name of a
 * {@code components.schemas} entry); else an object with the given {@link #properties()};
 * else a map when {@link #additionalProperties()} is set; else an enum of strings when
 * {@link #enumValues()} is non-empty; else a plain value of {@link #type()}.
 *
 * @param description text for plugin authors
 * @param type the {@code type:} key; null when absent (objects, maps and enums may omit it)
 * @param format refines the type, e.g. {@code int32}, {@code date-time}
 * @param items element type of an array
 * @param additionalProperties value type of a map (string keys)
 * @param properties an object's properties, in file order
 * @param required names of the properties that must be present
 * @param enumValues the allowed strings of an enum
 * @param ref name of the {@code components.schemas} entry referred to by {@code $ref}
 * @param nullable whether JSON {@code null} is allowed
 * @param location where it starts in the file
 */
public record TypeSchema(
        String description,
        XtpType type,
        String format,
        TypeSchema items,
        TypeSchema additionalProperties,
        Map<String, TypeSchema> properties,
        List<String> required,
        List<String> enumValues,
        String ref,
        boolean nullable,
        Location location) {

    public TypeSchema {
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        required = required == null ? List.of() : List.copyOf(required);
        enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
    }

    /** A plain value of the given type, e.g. the JSON integer an export returns. */
    public static TypeSchema of(XtpType type) {
        return builder().type(type).build();
    }

    /** A reference to the {@code components.schemas} entry {@code name}. */
    public static TypeSchema ref(String name) {
        return builder().ref(name).build();
    }

    public boolean isRef() {
        return ref != null;
    }

    public boolean isRequired(String property) {
        return required.contains(property);
    }

    /**
     * The type a JSON value must have, taking omitted {@code type:} keys into account:
     * objects and maps are {@link XtpType#OBJECT}, enums {@link XtpType#STRING}. Null for
     * a reference or a schema without any type information.
     */
    public XtpType effectiveType() {
        if (type != null || ref != null) {
            return type;
        }
        if (!properties.isEmpty() || additionalProperties != null) {
            return XtpType.OBJECT;
        }
        return enumValues.isEmpty() ? null : XtpType.STRING;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the keys as the parser meets them. */
    public static final class Builder {
        private String description;
        private XtpType type;
        private String format;
        private TypeSchema items;
        private TypeSchema additionalProperties;
        private final Map<String, TypeSchema> properties = new LinkedHashMap<>();
        private List<String> required = List.of();
        private List<String> enumValues = List.of();
        private String ref;
        private boolean nullable;
        private Location location;

        private Builder() {}

        public Builder description(String v) { description = v; return this; }
        public Builder type(XtpType v) { type = v; return this; }
        public Builder format(String v) { format = v; return this; }
        public Builder items(TypeSchema v) { items = v; return this; }
        public Builder additionalProperties(TypeSchema v) { additionalProperties = v; return this; }
        public Builder property(String name, TypeSchema v) { properties.put(name, v); return this; }
        public Builder required(List<String> v) { required = v; return this; }
        public Builder enumValues(List<String> v) { enumValues = v; return this; }
        public Builder ref(String v) { ref = v; return this; }
        public Builder nullable(boolean v) { nullable = v; return this; }
        public Builder location(Location v) { location = v; return this; }

        public TypeSchema build() {
            return new TypeSchema(description, type, format, items, additionalProperties,
                    properties, required, enumValues, ref, nullable, location);
        }
    }

    /** True for an object with declared properties (as opposed to a map or any object). */
    public boolean hasProperties() {
        return !properties.isEmpty();
    }
}

package dev.hackablemail.schema.payload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.TypeSchema;
import dev.hackablemail.schema.xtp.XtpType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Walks a JSON value beside its type and records each mismatch with the field's path. */
final class JsonChecker {

    private final Schema schema;
    private final Messages out;

    JsonChecker(Schema schema, Messages out) {
        this.schema = schema;
        this.out = out;
    }

    void check(TypeSchema type, JsonNode value, String root) {
        check(type, value, new Where(null, root, -1));
    }

    private void check(TypeSchema type, JsonNode value, Where path) {
        if (type.isRef()) {
            TypeSchema target = schema.resolve(type).orElse(null);
            if (target == null) {
                out.add(path + ": cannot be checked: the schema's reference to '" + type.ref() + "' does not resolve");
                return;
            }
            if (value.isNull() && type.nullable()) {
                return;
            }
            check(target, value, path);
            return;
        }
        if (value.isNull()) {
            if (!type.nullable()) {
                out.add(path + ": expected " + expected(type) + ", got null");
            }
            return;
        }
        XtpType t = type.effectiveType();
        if (t == null) {
            return; // nothing declared, nothing to check
        }
        switch (t) {
            case STRING: checkString(type, value, path); break;
            case INTEGER: checkInteger(type, value, path); break;
            case NUMBER: expect(value.isNumber(), type, value, path); break;
            case BOOLEAN: expect(value.isBoolean(), type, value, path); break;
            case BUFFER: checkBuffer(type, value, path); break;
            case ARRAY: checkArray(type, value, path); break;
            case OBJECT: checkObject(type, value, path); break;
            default: break;
        }
    }

    private void checkString(TypeSchema type, JsonNode value, Where path) {
        if (!expect(value.isTextual(), type, value, path)) {
            return;
        }
        String text = value.textValue();
        List<String> allowed = type.enumValues();
        if (!allowed.isEmpty() && !allowed.contains(text)) {
            out.add(path + ": expected one of " + String.join(", ", allowed) + ", got '" + text + "'");
        } else if ("date-time".equals(type.format())) {
            try {
                OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                out.add(path + ": expected a date-time such as 2024-05-01T12:30:00Z, got '" + text + "'");
            }
        } else if ("byte".equals(type.format()) && !isBase64(text)) {
            out.add(path + ": expected base64 (format byte), got text that is not base64");
        }
    }

    private void checkInteger(TypeSchema type, JsonNode value, Where path) {
        if (value.isNumber() && !value.isIntegralNumber()) {
            out.add(path + ": expected integer, got number " + value.asText());
            return;
        }
        if (!expect(value.isIntegralNumber(), type, value, path)) {
            return;
        }
        boolean int32 = "int32".equals(type.format());
        if (int32 ? !value.canConvertToInt() : !value.canConvertToLong()) {
            out.add(path + ": " + value.asText() + " does not fit in " + (int32 ? "int32" : "int64"));
        }
    }

    private void checkBuffer(TypeSchema type, JsonNode value, Where path) {
        // inside JSON a buffer travels as a base64 string
        if (expect(value.isTextual(), type, value, path) && !isBase64(value.textValue())) {
            out.add(path + ": expected a buffer as base64, got text that is not base64");
        }
    }

    private void checkArray(TypeSchema type, JsonNode value, Where path) {
        if (!expect(value.isArray(), type, value, path) || type.items() == null) {
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            check(type.items(), value.get(i), new Where(path, null, i));
        }
    }

    private void checkObject(TypeSchema type, JsonNode value, Where path) {
        if (!expect(value.isObject(), type, value, path)) {
            return;
        }
        Map<String, TypeSchema> properties = type.properties();
        for (String name : type.required()) {
            if (!value.has(name)) {
                out.add(path + ": missing required field '" + name + "'");
            }
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            Where at = new Where(path, field.getKey(), -1);
            TypeSchema property = properties.get(field.getKey());
            if (property != null) {
                check(property, field.getValue(), at);
            } else if (type.additionalProperties() != null) {
                check(type.additionalProperties(), field.getValue(), at);
            } else if (!properties.isEmpty()) {
                out.add(path + ": unexpected field '" + field.getKey() + "' (fields: "
                        + String.join(", ", properties.keySet()) + ")");
            }
        }
    }

    /** Records a mismatch unless {@code ok}; returns {@code ok}. */
    private boolean expect(boolean ok, TypeSchema type, JsonNode value, Where path) {
        if (!ok) {
            out.add(path + ": expected " + expected(type) + ", got " + kind(value));
        }
        return ok;
    }

    private static String expected(TypeSchema type) {
        XtpType t = type.effectiveType();
        if (!type.enumValues().isEmpty()) {
            return "one of " + String.join(", ", type.enumValues());
        }
        return t == null ? "a value" : t == XtpType.BUFFER ? "a buffer (base64 string)" : t.text();
    }

    static String kind(JsonNode value) {
        switch (value.getNodeType()) {
            case STRING: return "string";
            case NUMBER: return "number";
            case BOOLEAN: return "boolean";
            case ARRAY: return "array";
            case OBJECT: return "object";
            case NULL: return "null";
            default: return value.getNodeType().name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where a value is: spelled out only for a message, as most payloads have none (every
     * header of every mail is a field). A field name that reads unambiguously after a dot is
     * written so; others are bracketed. An element of an array has its index.
     */
    private record Where(Where parent, String name, int index) {
        @Override
        public String toString() {
            if (parent == null) {
                return name;
            }
            if (name == null) {
                return parent + "[" + index + "]";
            }
            return plain(name) ? parent + "." + name : parent + "[\"" + name.replace("\"", "\\\"") + "\"]";
        }

        /** [A-Za-z0-9_$-]+ */
        private static boolean plain(String name) {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '$'
                        || c == '-')) {
                    return false;
                }
            }
            return !name.isEmpty();
        }
    }

    private static boolean isBase64(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

package dev.hackablemail.schema.xtp;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The value of a {@code type:} key, with the {@code format:}s each one accepts. */
public enum XtpType {
    STRING("string", List.of("date-time", "byte")),
    NUMBER("number", List.of("float", "double")),
    INTEGER("integer", List.of("int32", "int64")),
    BOOLEAN("boolean", List.of()),
    OBJECT("object", List.of()),
    ARRAY("array", List.of()),
    /** Raw bytes: the whole input or output with {@code application/x-binary}, base64 inside JSON. */
    BUFFER("buffer", List.of());

    /** Every format the v1-draft knows, whatever the type. */
    public static final List<String> ALL_FORMATS =
            List.of("int32", "int64", "float", "double", "date-time", "byte");

    private final String text;
    private final List<String> formats;

    XtpType(String text, List<String> formats) {
        this.text = text;
        this.formats = formats;
    }

    /** The type as written in the file. */
    public String text() {
        return text;
    }

    /** The formats that may refine this type; empty when none may. */
    public List<String> formats() {
        return formats;
    }

    public static Optional<XtpType> fromText(String text) {
        return Arrays.stream(values()).filter(t -> t.text.equals(text)).findFirst();
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.hackablemail.schema.xtp;

import java.util.Arrays;
import java.util.Optional;

/** How an input or output crosses the host boundary. */
public enum ContentType {
    JSON("application/json"),
    /** UTF-8 text, passed as is (no JSON quoting). */
    TEXT("text/plain; charset=utf-8"),
    /** Raw bytes, passed as is. */
    BINARY("application/x-binary");

    private final String text;

    ContentType(String text) {
        this.text = text;
    }

    /** The content type as written in the file. */
    public String text() {
        return text;
    }

    public static Optional<ContentType> fromText(String text) {
        return Arrays.stream(values()).filter(c -> c.text.equals(text)).findFirst();
    }

    @Override
    public String toString() {
        return text;
    }
}

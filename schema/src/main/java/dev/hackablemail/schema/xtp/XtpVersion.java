package dev.hackablemail.schema.xtp;

import java.util.Arrays;
import java.util.Optional;

/** The schema versions this parser understands. */
public enum XtpVersion {
    /** The oldest form: {@code exports} is a plain list of names, nothing else. */
    V0("v0"),
    /** Exports and imports with typed input and output, and {@code components.schemas}. */
    V1_DRAFT("v1-draft");

    private final String text;

    XtpVersion(String text) {
        this.text = text;
    }

    /** The version as written in the file. */
    public String text() {
        return text;
    }

    public static Optional<XtpVersion> fromText(String text) {
        return Arrays.stream(values()).filter(v -> v.text.equals(text)).findFirst();
    }

    @Override
    public String toString() {
        return text;
    }
}

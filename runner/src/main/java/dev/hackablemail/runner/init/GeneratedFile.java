package dev.hackablemail.runner.init;

import java.util.Objects;

/**
 * One file of a generated plugin project.
 *
 * @param path relative to the project folder, '/'-separated, e.g. {@code src/pdk.h}
 * @param content the file's text (UTF-8)
 * @param regenerated true for bindings: always overwritten when the project is generated
 *     again; false for the files the author edits, which are never overwritten without
 *     {@code --force}
 */
public record GeneratedFile(String path, String content, boolean regenerated) {

    public GeneratedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")
                || java.util.Arrays.asList(path.split("/")).contains("..")) {
            throw new IllegalArgumentException("not a relative '/'-separated path: " + path);
        }
    }
}

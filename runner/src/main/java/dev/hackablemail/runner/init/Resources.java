package dev.hackablemail.runner.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The templates' files, shipped inside xtp-sim (next to this class): nothing is downloaded. */
final class Resources {

    private Resources() {}

    /** The text of the resource at {@code path}, relative to this package. */
    static String text(String path) {
        try (InputStream in = Resources.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("xtp-sim is missing its template file " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resource's text with each {@code {{key}}} replaced by its value. */
    static String fill(String path, Map<String, String> values) {
        return fillText(text(path), values);
    }

    /** {@code text} with each {@code {{key}}} replaced by its value. */
    static String fillText(String text, Map<String, String> values) {
        String result = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            result = result.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        return result;
    }
}

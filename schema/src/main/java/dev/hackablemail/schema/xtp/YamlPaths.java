package dev.hackablemail.schema.xtp;

import java.util.regex.Pattern;

/** Builds the dotted paths that name a value in messages: {@code exports.onEmail.input.$ref}. */
final class YamlPaths {

    // names that read unambiguously after a dot; anything else is bracketed and quoted
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_$\\-]+");

    private YamlPaths() {}

    static String key(String parent, String key) {
        if (PLAIN.matcher(key).matches()) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}

package dev.hackablemail.runner.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Text helpers shared by the language templates: resources, placeholders, identifiers, xtp.toml. */
final class TemplateText {

    private static final Set<String> RESERVED = reservedWords();

    private TemplateText() {}

    /** A resource under templates/, e.g. {@code cpp/runtime.hpp}. */
    static String resource(String path) {
        return Resources.text("templates/" + path);
    }

    /** Replaces each {@code {{key}}} of the text. */
    static String fill(String text, Map<String, String> values) {
        return Resources.fillText(text, values);
    }

    /**
     * Identifiers for enum values (which may be any string): invalid characters become
     * {@code _}, a leading digit gets a {@code _}, a keyword of any plugin language gets a
     * trailing {@code _}, and a clash a number.
     */
    static List<String> identifiers(List<String> values) {
        Set<String> taken = new LinkedHashSet<>();
        for (String value : values) {
            StringBuilder id = new StringBuilder();
            value.codePoints().forEach(c -> id.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? (char) c : '_'));
            if (id.length() == 0 || Character.isDigit(id.charAt(0))) {
                id.insert(0, '_');
            }
            if (RESERVED.contains(id.toString().toLowerCase(Locale.ROOT))) {
                id.append('_');
            }
            String candidate = id.toString();
            for (int n = 2; taken.contains(candidate); n++) {
                candidate = id + "_" + n;
            }
            taken.add(candidate);
        }
        return List.copyOf(taken);
    }

    /**
     * Refuses a schema whose type or host function names clash with names the bindings
     * define themselves (e.g. a type called Result for C++).
     */
    static void checkNames(BindingModel model, java.util.Collection<String> taken, String language) {
        List<String> names = new java.util.ArrayList<>();
        model.types().forEach(t -> names.add(t.name()));
        model.imports().forEach(f -> names.add(f.name()));
        for (String name : names) {
            if (taken.contains(name)) {
                throw new InitException("the schema's name '" + name + "' clashes with a name the " + language
                        + " bindings define themselves (" + String.join(", ", taken) + "): rename it in the schema");
            }
        }
    }

    /** A TOML basic string. */
    static String toml(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\t': out.append("\\t"); break;
                case '\r': out.append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    /** The project's xtp.toml: the module, the build script and one [[test]] per simulation. */
    static String xtpToml(InitRequest request, String build) {
        StringBuilder out = new StringBuilder();
        out.append("# xtp-sim plugin build runs [scripts] build; xtp-sim test (no arguments) runs the tests.\n");
        out.append("bin = ").append(toml("dist/" + request.name() + ".wasm")).append("\n\n");
        out.append("[scripts]\nbuild = ").append(toml(build)).append("\n");
        for (InitRequest.TestEntry test : request.tests()) {
            out.append("\n[[test]]\nname = ").append(toml(test.name())).append("\nwith = ").append(toml(test.with())).append('\n');
            if (test.mockHost() != null) {
                out.append("mock_host = ").append(toml(test.mockHost())).append('\n');
            }
        }
        return out.toString();
    }

    /** Each line of the text prefixed, for comments; blank lines keep only the trimmed prefix. */
    static String commented(String text, String prefix) {
        if (text == null || text.isBlank()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.strip().split("\n", -1)) {
            out.append(line.isBlank() ? prefix.stripTrailing() : prefix + line.stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static Set<String> reservedWords() {
        Set<String> words = new HashSet<>();
        String text;
        try (InputStream in = TemplateText.class.getResourceAsStream("/dev/hackablemail/schema/xtp/reserved-words.txt")) {
            if (in == null) {
                return words;
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && colon > 0) {
                for (String word : line.substring(colon + 1).trim().split("\\s+")) {
                    words.add(word.toLowerCase(Locale.ROOT));
                }
            }
        }
        return words;
    }
}

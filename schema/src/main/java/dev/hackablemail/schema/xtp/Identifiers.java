package dev.hackablemail.schema.xtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for names of exports, imports, schemas and properties: they become identifiers
 * in generated bindings and Wasm export names, so XTP allows only letters, digits,
 * {@code _} and {@code $}, and no keyword of a language plugins are written in.
 */
final class Identifiers {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Map<String, List<String>> RESERVED = loadReserved();

    private Identifiers() {}

    /** Why {@code name} is not allowed, or empty when it is fine. */
    static Optional<String> problem(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a valid name: use letters, digits, _ and $,"
                    + " not starting with a digit");
        }
        List<String> languages = RESERVED.get(name.toLowerCase(Locale.ROOT));
        if (languages != null) {
            return Optional.of("'" + name + "' is a reserved word in " + String.join(", ", languages)
                    + ", so bindings cannot be generated for it: choose another name");
        }
        return Optional.empty();
    }

    private static Map<String, List<String>> loadReserved() {
        Map<String, List<String>> reserved = new HashMap<>();
        try (InputStream in = Identifiers.class.getResourceAsStream("reserved-words.txt")) {
            if (in == null) {
                throw new IllegalStateException("reserved-words.txt is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int colon = line.indexOf(':');
                if (line.startsWith("#") || colon < 0) {
                    continue;
                }
                String language = line.substring(0, colon).trim();
                for (String word : line.substring(colon + 1).trim().split("\\s+")) {
                    reserved.computeIfAbsent(word, w -> new ArrayList<>()).add(language);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return reserved;
    }
}

package dev.hackablemail.runner.fuzz;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The machine-readable report of a fuzzing run ({@code --report-json}): the budget spent, the
 * speed, and every property with its failure (the shrunk input included) or none.
 */
public final class FuzzReportJson {

    private FuzzReportJson() {}

    /**
     * @param saved where each failure was saved, by property (may be empty)
     */
    public static ObjectNode toJson(String plugin, String schema, FuzzResult result, Map<Property, Path> saved) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("plugin", plugin);
        o.put("schema", schema);
        o.put("export", result.export());
        o.put("seed", result.seed());
        o.put("runs", result.runs());
        o.put("fuzz_millis", result.fuzzNanos() / 1_000_000);
        o.put("shrink_millis", result.shrinkNanos() / 1_000_000);
        o.put("inputs_per_second", Math.round(result.inputsPerSecond() * 10) / 10.0);
        o.put("passed", result.passed());
        ArrayNode properties = o.putArray("properties");
        for (Property property : Property.values()) {
            ObjectNode p = properties.addObject();
            p.put("property", property.id());
            p.put("title", property.title());
            FuzzFailure failure = result.failures().stream().filter(f -> f.property() == property).findFirst()
                    .orElse(null);
            p.put("passed", failure == null);
            if (failure != null) {
                ObjectNode f = FailureFiles.toJson(result, failure);
                if (saved.containsKey(property)) {
                    f.put("file", saved.get(property).toString());
                }
                p.set("failure", f);
            }
        }
        return o;
    }

    public static void write(Path file, ObjectNode report) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Payloads.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    }
}

package dev.hackablemail.runner.fuzz;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hackablemail.runner.report.Reasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Saved failures: one JSON file per failing property, holding the shrunk input and the host
 * seed that replay it ({@code xtp-sim fuzz ... --replay FILE}), and what it broke.
 *
 * <pre>{@code
 * {"export": "greet", "property": "no-trap-or-error", "message": "...", "seed": 7, "case": 12,
 *  "host_seed": -4242, "input": {"name": "", "tags": {"€": ""}}}
 * }</pre>
 */
public final class FailureFiles {

    /** What a saved file replays: an input and the seed of its host answers. */
    public record Saved(JsonNode input, long hostSeed) {}

    private FailureFiles() {}

    /** The file name of a failure: {@code <export>-<property>.json}. */
    public static String fileName(String export, FuzzFailure failure) {
        return fileName(export, failure.property());
    }

    /** The file name of a failure of {@code property}: {@code <export>-<property>.json}. */
    public static String fileName(String export, Property property) {
        return export.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + property.id() + ".json";
    }

    public static ObjectNode toJson(FuzzResult result, FuzzFailure failure) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("export", result.export());
        o.put("property", failure.property().id());
        o.put("title", failure.property().title());
        o.put("message", failure.message());
        o.put("seed", result.seed());
        o.put("case", failure.caseNumber());
        o.put("host_seed", failure.hostSeed());
        o.put("original_bytes", failure.originalBytes());
        o.put("input_bytes", failure.inputBytes());
        o.set("input", failure.input());
        return o;
    }

    /** The file {@link #save} writes the failure to. */
    public static Path file(Path dir, FuzzResult result, FuzzFailure failure) {
        return dir.resolve(fileName(result.export(), failure));
    }

    /** Writes the failure into {@code dir} (made if needed) and returns the file. */
    public static Path save(Path dir, FuzzResult result, FuzzFailure failure) throws IOException {
        Files.createDirectories(dir);
        Path file = file(dir, result, failure);
        Payloads.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), toJson(result, failure));
        return file;
    }

    /**
     * Reads a saved failure.
     *
     * @throws FuzzSetupException naming the file when it is missing or not such a file
     */
    public static Saved read(Path file) {
        JsonNode root;
        try {
            root = Payloads.JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new FuzzSetupException(file + ": no such file (a saved failure)");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new FuzzSetupException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not a saved failure (not JSON: " + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new FuzzSetupException(file + ": cannot be read (a saved failure): " + Reasons.of(e));
        }
        if (root == null || !root.has("input") || !root.path("host_seed").canConvertToLong()) {
            throw new FuzzSetupException(file + ": not a saved failure (needs 'input' and 'host_seed')");
        }
        return new Saved(root.get("input"), root.get("host_seed").longValue());
    }
}

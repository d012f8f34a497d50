package dev.hackablemail.runner.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hackablemail.runner.sim.AssertionResult;
import dev.hackablemail.runner.sim.SimulationRecord;
import dev.hackablemail.runner.sim.SimulationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The machine-readable report: top-level {@code passed} and {@code failed}, {@code groups}
 * in run order (each with {@code name}, null for asserts before any group, {@code asserts}
 * of {@code name}/{@code passed}/{@code reason}, and {@code timings}), and per simulation
 * its result under {@code simulations}.
 */
public final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    public static void write(Path file, List<SimulationRecord> records) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        long passed = 0;
        long failed = 0;
        ArrayNode groups = JSON.createArrayNode();
        ArrayNode simulations = JSON.createArrayNode();
        for (SimulationRecord record : records) {
            SimulationResult result = record.result();
            passed += result.passed();
            failed += result.failed();
            for (SimulationRecord.Group group : record.groups()) {
                ObjectNode g = groups.addObject();
                g.put("name", group.name());
                g.put("simulation", result.name());
                ArrayNode asserts = g.putArray("asserts");
                for (AssertionResult a : group.asserts()) {
                    asserts.addObject().put("name", a.name()).put("passed", a.passed())
                            .put("reason", a.reason() == null ? "" : a.reason());
                }
                ArrayNode timings = g.putArray("timings");
                group.timings().forEach(t -> timings.addObject().put("function", t.function()).put("nanos", t.nanos()));
            }
            simulations.addObject()
                    .put("name", result.name())
                    .put("successful", result.successful())
                    .put("passed", result.passed())
                    .put("failed", result.failed())
                    .put("testReturnCode", result.testReturnCode())
                    .put("error", result.error())
                    .put("elapsedMillis", result.elapsed().toMillis())
                    .put("seed", seed(record));
        }
        root.put("passed", passed);
        root.put("failed", failed);
        root.set("groups", groups);
        root.set("simulations", simulations);
        Files.write(file, JSON.writeValueAsBytes(root));
    }

    /** The seed that fixed the run's WASI clock and random bytes; null when they were real. */
    private static Long seed(SimulationRecord record) {
        OptionalLong seed = record.spec() == null ? OptionalLong.empty() : record.spec().wasi().seed();
        return seed.isPresent() ? seed.getAsLong() : null;
    }
}

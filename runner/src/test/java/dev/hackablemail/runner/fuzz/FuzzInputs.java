package dev.hackablemail.runner.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.HostImport;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fuzzer's value generator and schema-answering host, for tests outside this package
 * (the init templates' pass-through checks).
 */
public final class FuzzInputs {

    /** One generated input: the value and its bytes as the export receives them. */
    public record Input(JsonNode value, byte[] bytes) {}

    private FuzzInputs() {}

    /** {@code count} inputs of the export, as the fuzzer makes them for this plugin. */
    public static List<Input> inputs(GuestModule plugin, Schema schema, String export, long seed, int count) {
        FunctionDecl function = schema.export(export).orElseThrow();
        ValueGenerator generator = new ValueGenerator(schema, Dictionary.fromDataSegments(plugin.wasm()));
        SplittableRandom random = new SplittableRandom(seed);
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode value = generator.generate(function.input().type(), random.split());
            inputs.add(new Input(value, Payloads.encode(function.input(), value)));
        }
        return inputs;
    }

    /** Host functions for every import of the schema, answering with generated valid values. */
    public static List<HostImport> hostImports(Schema schema) {
        return new FuzzHost(schema, Dictionary.of(List.of()), false).imports(name -> false);
    }
}

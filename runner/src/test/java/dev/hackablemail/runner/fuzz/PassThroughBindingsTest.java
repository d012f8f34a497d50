package dev.hackablemail.runner.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.runner.init.CProjects;
import dev.hackablemail.schema.xtp.ContentType;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The C bindings of every construct of XTP schema v1, checked with the fuzzer's own
 * inputs: a pass-through implementation of all-constructs.yaml (generated, built with
 * clang) returns every value the fuzzer makes for each echo export unchanged, and the
 * other exports, which call every host function, survive the fuzzer at its defaults.
 * (In this package for the fuzzer's {@link ValueGenerator}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PassThroughBindingsTest {

    private Schema schema;
    private GuestModule module;
    private PluginTemplate template;

    @BeforeAll
    void generateAndBuild(@TempDir Path dir) throws IOException {
        CProjects.assumeToolchain();
        schema = CProjects.allConstructs();
        CProjects.generate(dir, CProjects.request("passthrough", schema, false));
        Files.writeString(dir.resolve("src/plugin.c"), CProjects.passThrough());
        module = GuestModule.load(CProjects.build(dir, "passthrough"));
        // echo* call no host function; ping does, and is fuzzed below with the fuzzer's host
        template = PluginTemplate.builder(module)
                .withHostImports(new FuzzHost(schema, Dictionary.of(java.util.List.of()), false).imports(n -> false))
                .build();
    }

    @ParameterizedTest(name = "{0} returns every input the fuzzer makes unchanged")
    @ValueSource(strings = {"echo", "echoText", "echoBytes", "echoColor", "echoNumber", "echoFlag", "echoWhen",
        "echoPoints", "echoMap", "echoAnything", "echoChain"})
    void passThrough(String export) {
        FunctionDecl f = schema.export(export).orElseThrow();
        ValueGenerator inputs = new ValueGenerator(schema, Dictionary.fromDataSegments(module.wasm()));
        SplittableRandom master = new SplittableRandom(export.hashCode());
        long deadline = System.nanoTime() + 2 * Fuzzer.DEFAULT_TIME.toNanos();
        int checked = 0;
        try (GuestPlugin plugin = template.instantiate()) {
            for (; checked < Fuzzer.DEFAULT_RUNS && (checked < 20 || System.nanoTime() < deadline); checked++) {
                JsonNode value = inputs.generate(f.input().type(), master.split());
                byte[] input = Payloads.encode(f.input(), value);
                byte[] output = plugin.call(export, input);
                if (f.input().contentType() == ContentType.JSON) {
                    JsonNode back = parse(output);
                    assertThat(value.equals(NUMBERS_BY_VALUE, back))
                            .as("%s of %s gave %s", export, Payloads.preview(input, 300), Payloads.preview(output, 300))
                            .isTrue();
                } else {
                    assertThat(output).as("%s of %s", export, Payloads.preview(input, 300)).isEqualTo(input);
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }

    /** Numbers are equal when their values are (1.0 and 1.0E0; but -0.0 is not 0.0). */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() && b.isIntegralNumber()) {
                return a.bigIntegerValue().compareTo(b.bigIntegerValue());
            }
            return a.isIntegralNumber() != b.isIntegralNumber() ? 1 : Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private static JsonNode parse(byte[] output) {
        try {
            return Payloads.JSON.readTree(output);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(output, StandardCharsets.UTF_8), e);
        }
    }

    @ParameterizedTest(name = "{0} survives the fuzzer at its defaults")
    @ValueSource(strings = {"ping", "consume", "tick", "echo", "echoPoints"})
    void survivesTheFuzzer(String export) {
        FuzzResult result = Fuzzer.builder(module, schema).export(export).build().run(FuzzListener.SILENT);
        assertThat(result.failures()).isEmpty();
        assertThat(result.runs()).isPositive();
    }

    @Test
    void theHostFunctionsAnswersAreDecoded() {
        // ping returns the `small` of what fetch answered: a generated Everything
        FuzzHost host = new FuzzHost(schema, Dictionary.of(java.util.List.of()), false);
        PluginTemplate withHost = PluginTemplate.builder(module).withHostImports(host.imports(n -> false)).build();
        try (GuestPlugin plugin = withHost.instantiate()) {
            host.begin(7);
            byte[] output = plugin.call("ping", new byte[0]);
            var calls = host.end();
            assertThat(calls).extracting(HostCall::function).containsExactly("fetch", "store", "now", "notify", "measure");
            assertThat(calls).allSatisfy(c -> assertThat(c.problems()).isEmpty());
            JsonNode fetched = parse(calls.get(0).answer());
            assertThat(parse(output).asLong()).isEqualTo(fetched.get("small").asLong());
            assertThat(calls.get(1).payload()).isEqualTo(java.util.Base64.getDecoder().decode(fetched.get("blob").asText()));
            assertThat(new String(calls.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("query");
            assertThat(parse(calls.get(4).payload())).isEqualTo(parse("{\"x\":1.5,\"y\":-2.25,\"label\":\"a point\"}"
                    .getBytes(StandardCharsets.UTF_8)));
        }
    }
}

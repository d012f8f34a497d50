package dev.hackablemail.runner.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.runner.fuzz.FuzzFailure;
import dev.hackablemail.runner.fuzz.FuzzInputs;
import dev.hackablemail.runner.fuzz.FuzzListener;
import dev.hackablemail.runner.fuzz.FuzzResult;
import dev.hackablemail.runner.fuzz.Fuzzer;
import dev.hackablemail.runner.guest.GuestCallException;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.HostImport;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.runner.sim.Simulation;
import dev.hackablemail.runner.sim.SimulationRecord;
import dev.hackablemail.runner.sim.SimulationSpec;
import dev.hackablemail.schema.wasm.PluginChecker;
import dev.hackablemail.schema.xtp.ContentType;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each language template, end to end: a project generated into a temporary folder outside the
 * repository, built with its own build script (clang++-19 or npm + asc), and the module checked
 * with the same tools an author uses: xtp-sim check, the example's simulation, the fuzzer.
 * Skipped (with the reason) only when the language's toolchain is not installed.
 */
class TemplateModulesTest {

    private static final Schema ON_EMAIL = PluginProjects.schema(PluginProjects.ROOT.resolve("schema/on-email.yaml"));
    private static final Schema ALL = PluginProjects.schema(PluginProjects.ALL_CONSTRUCTS);
    private static final Path TEST = PluginProjects.ROOT.resolve("simulations/dist/test.wasm");
    private static final Path HOST = PluginProjects.ROOT.resolve("mock-host/dist/host.wasm");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path generateAndBuild(String id, Schema schema, boolean samples, Path dir, Map<String, String> replace)
            throws IOException, InterruptedException {
        PluginProjects.assumeToolchain(id);
        List<InitRequest.TestEntry> tests = schema == ON_EMAIL
                ? List.of(new InitRequest.TestEntry("email simulation", TEST.toString(), HOST.toString()))
                : List.of();
        PluginProjects.write(dir, PluginProjects.template(id).generate(new InitRequest("plugin", schema, samples, tests)));
        for (Map.Entry<String, String> file : replace.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        return PluginProjects.build(dir);
    }

    private static Fuzzer.Builder fuzzer(Path module, Schema schema, String export) {
        return Fuzzer.builder(GuestModule.load(module), schema).export(export).seed(1)
                .time(Duration.ofMinutes(3)).shrinkTime(Duration.ofSeconds(3));
    }

    private static String describe(FuzzResult result) {
        return result.failures().stream().map(f -> f.summary(result.seed(), 400)).collect(Collectors.joining("\n"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpp", "assemblyscript"})
    void theOnEmailCodeSamplePassesCheckTheSimulationAndTheFuzzer(String id, @TempDir Path dir) throws Exception {
        Path module = generateAndBuild(id, ON_EMAIL, true, dir, Map.of());

        assertThat(PluginChecker.check(ON_EMAIL, module)).isEmpty();
        SimulationRecord record = new SimulationRecord();
        Simulation.run(SimulationSpec.builder(module, TEST).withMockHost(HOST).build(), record);
        assertThat(record.result().failure()).isNull();
        assertThat(record.result().passed()).isEqualTo(66);
        assertThat(record.result().failed()).isZero();
        FuzzResult fuzz = fuzzer(module, ON_EMAIL, "onEmail").build().run(FuzzListener.SILENT);
        assertThat(fuzz.failures()).as(describe(fuzz)).isEmpty();
        assertThat(fuzz.runs()).isEqualTo(Fuzzer.DEFAULT_RUNS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpp", "assemblyscript"})
    void hostileInputIsAnErrorNamingTheFieldNeverATrap(String id, @TempDir Path dir) throws Exception {
        Path module = generateAndBuild(id, ON_EMAIL, true, dir, Map.of());
        PluginTemplate template = PluginTemplate.builder(GuestModule.load(module))
                .withHostImports(FuzzInputs.hostImports(ON_EMAIL)).build();
        String valid = "\"receiver\":\"b@x\",\"headers\":{\"Subject\":\"hi\"},\"body\":\"text\"";

        assertError(template, "{\"sender\":5," + valid + "}", "input.sender", "expected a string");
        assertError(template, "{\"sender\":\"a@x\",\"receiver\":\"b@x\",\"headers\":{}}", "input.body", "required property missing");
        assertError(template, "{\"sender\":\"a@x\"," + valid.replace("\"hi\"", "7") + "}", "input.headers[\"Subject\"]", "expected a string");
        assertError(template, "[1,2]", "input", "expected an object");
        assertError(template, "{\"sender\":\"a@", "input", "not valid JSON");
        assertError(template, "[".repeat(100_000), "input", "not valid JSON");
        byte[] badUtf8 = ("{\"sender\":\"a@x\"," + valid.replace("\"hi\"", "\"h\u00ffi\"") + "}").getBytes(StandardCharsets.ISO_8859_1);
        GuestCallException e = call(template, badUtf8);
        assertThat(e.kind()).isEqualTo(GuestCallException.Kind.ERROR);
        assertThat(e.guestError()).contains("UTF-8").contains("Subject");
    }

    private static void assertError(PluginTemplate template, String input, String field, String why) {
        GuestCallException e = call(template, input.getBytes(StandardCharsets.UTF_8));
        assertThat(e.kind()).as("%s for %s", e.getMessage(), input).isEqualTo(GuestCallException.Kind.ERROR);
        assertThat(e.returnCode()).isEqualTo(1);
        assertThat(e.guestError()).startsWith("onEmail: ").contains(field).contains(why);
    }

    private static GuestCallException call(PluginTemplate template, byte[] input) {
        try (GuestPlugin plugin = template.instantiate()) {
            return catchThrowableOfType(GuestCallException.class, () -> plugin.call("onEmail", input));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpp", "assemblyscript"})
    void everyConstructStubBuildsPassesCheckAndSaysItIsNotImplemented(String id, @TempDir Path dir) throws Exception {
        Path module = generateAndBuild(id, ALL, false, dir, Map.of());

        assertThat(PluginChecker.check(ALL, module)).isEmpty();
        PluginTemplate template = PluginTemplate.builder(GuestModule.load(module))
                .withHostImports(FuzzInputs.hostImports(ALL)).build();
        for (FunctionDecl export : ALL.exports().values()) {
            byte[] input = export.hasInput()
                    ? FuzzInputs.inputs(template.main(), ALL, export.name(), 7, 1).get(0).bytes() : new byte[0];
            try (GuestPlugin plugin = template.instantiate()) {
                GuestCallException e = catchThrowableOfType(GuestCallException.class, () -> plugin.call(export.name(), input));
                assertThat(e).as(export.name()).isNotNull();
                assertThat(e.kind()).as(export.name()).isEqualTo(GuestCallException.Kind.ERROR);
                assertThat(e.guestError()).isEqualTo(export.name() + ": " + export.name() + " is not implemented yet");
            }
        }
        // input that does not decode never reaches the stub
        assertStubError(template, "echoText", new byte[] {'a', (byte) 0xc3, 'b'}, "echoText: input is not valid UTF-8");
        assertStubError(template, "echoColor", "\"purple\"".getBytes(StandardCharsets.UTF_8),
                "echoColor: input: expected one of: red, green, blue-ish");
        assertStubError(template, "echoPoints", "[{\"x\":1,\"y\":\"2\"}]".getBytes(StandardCharsets.UTF_8),
                "echoPoints: input[0].y: expected a number, got a string");
        assertStubError(template, "echoPoints", "[{\"x\":1,\"y\":1e300}]".getBytes(StandardCharsets.UTF_8),
                "echoPoints: input[0].y: number out of range for a float");
        assertStubError(template, "echoChain", "{\"name\":\"a\",\"next\":{\"next\":null}}".getBytes(StandardCharsets.UTF_8),
                "echoChain: input.next.name: required property missing");
        assertStubError(template, "echo", "{\"text\":\"\\ud800\"".getBytes(StandardCharsets.UTF_8), "echo: input is not valid JSON");
        assertStubError(template, "echoChain", chain(5_000).getBytes(StandardCharsets.UTF_8),
                "echoChain: input is not valid JSON: nested more than");
        assertStubError(template, "echoMap", "{\"a\":\"b\",\"c\":[]}".getBytes(StandardCharsets.UTF_8),
                "echoMap: input[\"c\"]: expected a string, got an array");
    }

    /** A Chain value nested {@code depth} objects deep. */
    private static String chain(int depth) {
        return "{\"name\":\"a\",\"next\":".repeat(depth - 1) + "{\"name\":\"a\"}" + "}".repeat(depth - 1);
    }

    private static void assertStubError(PluginTemplate template, String export, byte[] input, String message) {
        try (GuestPlugin plugin = template.instantiate()) {
            GuestCallException e = catchThrowableOfType(GuestCallException.class, () -> plugin.call(export, input));
            assertThat(e).as(export).isNotNull();
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(GuestCallException.Kind.ERROR);
            assertThat(e.guestError()).startsWith(message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpp", "assemblyscript"})
    void aPassThroughOfEveryConstructReturnsEveryFuzzedInputUnchanged(String id, @TempDir Path dir) throws Exception {
        String file = id.equals("cpp") ? CppTemplate.IMPLEMENTATION : AssemblyScriptTemplate.IMPLEMENTATION;
        Path module = generateAndBuild(id, ALL, false, dir, Map.of(file, passThrough(id)));
        assertThat(PluginChecker.check(ALL, module)).isEmpty();
        PluginTemplate template = PluginTemplate.builder(GuestModule.load(module))
                .withHostImports(FuzzInputs.hostImports(ALL)).build();

        int compared = 0;
        for (FunctionDecl export : ALL.exports().values()) {
            if (export.hasInput() && export.hasOutput()) {
                for (FuzzInputs.Input input : FuzzInputs.inputs(template.main(), ALL, export.name(), 11, Fuzzer.DEFAULT_RUNS)) {
                    byte[] output;
                    try (GuestPlugin plugin = template.instantiate()) {
                        output = plugin.call(export.name(), input.bytes());
                    }
                    assertUnchanged(export, input, output);
                    compared++;
                }
            }
            // and the fuzzer's own properties (no trap or error, output matches the schema...)
            FuzzResult fuzz = fuzzer(module, ALL, export.name()).build().run(FuzzListener.SILENT);
            assertThat(fuzz.failures()).as(export.name() + ": " + describe(fuzz)).isEmpty();
        }
        assertThat(compared).isEqualTo(11 * Fuzzer.DEFAULT_RUNS);
        // a chain as deep as decoding allows comes back whole
        try (GuestPlugin plugin = template.instantiate()) {
            byte[] deep = chain(128).getBytes(StandardCharsets.UTF_8);
            assertThat(JSON.readTree(plugin.call("echoChain", deep))).isEqualTo(JSON.readTree(deep));
        }
    }

    private static void assertUnchanged(FunctionDecl export, FuzzInputs.Input input, byte[] output) throws IOException {
        ContentType type = export.input().contentType();
        if (type != ContentType.JSON) {
            assertThat(output).as(export.name()).isEqualTo(input.bytes());
            return;
        }
        JsonNode actual = JSON.readTree(output);
        List<String> differences = new ArrayList<>();
        compare("input", input.value(), actual, differences);
        assertThat(differences).as("%s returned %s for %s", export.name(), actual, input.value()).isEmpty();
    }

    /**
     * Same value, where numbers are compared as numbers (a float property is compared in
     * float precision) and an object member that is null is the same as an absent one (an
     * optional nullable property: XTP's bindings do not tell them apart).
     */
    private static void compare(String at, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.isNumber() && actual.isNumber()) {
            boolean same = expected.isIntegralNumber() && actual.isIntegralNumber()
                    ? expected.bigIntegerValue().equals(actual.bigIntegerValue())
                    : expected.doubleValue() == actual.doubleValue()
                            || (float) expected.doubleValue() == (float) actual.doubleValue();
            if (!same) {
                differences.add(at + ": " + expected + " became " + actual);
            }
        } else if (expected.isObject() && actual.isObject()) {
            List<String> names = new ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(n -> {
                if (!names.contains(n)) {
                    names.add(n);
                }
            });
            for (String name : names) {
                JsonNode e = expected.path(name);
                JsonNode a = actual.path(name);
                if ((e.isMissingNode() || e.isNull()) && (a.isMissingNode() || a.isNull())) {
                    continue;
                }
                compare(at + "." + name, e, a, differences);
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            for (JsonNode e : expected) {
                compare(at + "[" + i++ + "]", e, a.next(), differences);
            }
        } else if (!expected.equals(actual)) {
            differences.add(at + ": " + abbreviated(expected) + " became " + abbreviated(actual));
        }
    }

    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpp", "assemblyscript"})
    void theGuidesVacationResponderIsAtMost25LinesAndBehaves(String id, @TempDir Path dir) throws Exception {
        boolean cpp = id.equals("cpp");
        String source = resource("vacation/" + (cpp ? "plugin.cpp" : "index.ts"));
        assertThat(source.lines().count()).isLessThanOrEqualTo(25);
        Path module = generateAndBuild(id, ON_EMAIL, false, dir,
                Map.of(cpp ? CppTemplate.IMPLEMENTATION : AssemblyScriptTemplate.IMPLEMENTATION, source));
        assertThat(PluginChecker.check(ON_EMAIL, module)).isEmpty();
        FuzzResult fuzz = fuzzer(module, ON_EMAIL, "onEmail").build().run(FuzzListener.SILENT);
        assertThat(fuzz.failures()).as(describe(fuzz)).isEmpty();

        assertThat(vacation(module, "Lunch?", "0"))
                .containsExactly("deliver", "reply Re: Lunch? / I am on vacation until Monday.", "returned 0");
        assertThat(vacation(module, "Re: Lunch?", "0")).containsExactly("deliver", "returned 0");
        assertThat(vacation(module, "Lunch?", "75")).containsExactly("deliver", "returned 75");
    }

    /** What the plugin did with a mail of that subject, when deliver answers {@code deliverCode}. */
    private static List<String> vacation(Path module, String subject, String deliverCode) throws IOException {
        List<String> calls = new ArrayList<>();
        PluginTemplate template = PluginTemplate.builder(GuestModule.load(module))
                .withHostImport(HostImport.block("deliver", (caller, in) -> {
                    calls.add("deliver");
                    return deliverCode.getBytes(StandardCharsets.UTF_8);
                }))
                .withHostImport(HostImport.block("reply", (caller, in) -> {
                    JsonNode reply = readTree(in);
                    calls.add("reply " + reply.path("subject").asText() + " / " + reply.path("body").asText());
                    return "0".getBytes(StandardCharsets.UTF_8);
                }))
                .build();
        String mail = "{\"sender\":\"a@x\",\"receiver\":\"b@x\",\"headers\":{\"Subject\":"
                + JSON.writeValueAsString(subject) + "},\"body\":\"Hello\"}";
        try (GuestPlugin plugin = template.instantiate()) {
            calls.add("returned " + new String(plugin.call("onEmail", mail.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        }
        return calls;
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String resource(String name) throws IOException {
        try (var in = TemplateModulesTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Each export returns its input; tick calls every host function; the others return zero values. */
    static String passThrough(String id) {
        BindingModel model = BindingModel.of(ALL);
        StringBuilder out = new StringBuilder();
        boolean cpp = id.equals("cpp");
        out.append(cpp ? "#include \"pdk.gen.hpp\"\n" : "import * as pdk from \"./pdk.gen\";\n"
                + "import { Everything, Color, Point, Chain, JsonValue, Optional } from \"./pdk.gen\";\n");
        for (BindingModel.Function f : model.exports()) {
            String signature = cpp ? CppTemplate.signature(f) : AssemblyScriptTemplate.signature(model, f);
            out.append(signature).append(" {\n");
            if (f.name().equals("tick")) {
                out.append(cpp ? TICK_CPP : TICK_AS);
            } else if (f.input() != null && f.output() != null) {
                out.append("  return input;\n");
            } else if (f.output() != null) {
                out.append(cpp ? "  return 42;\n" : "  return 42;\n");
            } else if (cpp) {
                out.append("  (void)input;\n  return {};\n");
            }
            out.append("}\n\n");
        }
        return out.toString();
    }

    private static final String TICK_CPP = "  pdk::Everything e = pdk::fetch(\"hello\");\n"
            + "  pdk::store(e.blob);\n  std::string when = pdk::now();\n  pdk::notify();\n"
            + "  int64_t size = pdk::measure(e.point);\n  (void)when;\n  (void)size;\n  return {};\n";
    private static final String TICK_AS = "  const e = pdk.fetch(\"hello\");\n"
            + "  pdk.store(e.blob);\n  const when = pdk.now();\n  pdk.notify();\n"
            + "  const size = pdk.measure(e.point);\n  if (when.length < 0 || size == 123456789) pdk.logInfo(\"never\");\n";
}

package dev.hackablemail.runner.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hackablemail.runner.cli.XtpSim;
import dev.hackablemail.runner.fuzz.FuzzListener;
import dev.hackablemail.runner.fuzz.FuzzResult;
import dev.hackablemail.runner.fuzz.Fuzzer;
import dev.hackablemail.runner.guest.GuestCallException;
import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.runner.guest.GuestPlugin;
import dev.hackablemail.runner.guest.PluginTemplate;
import dev.hackablemail.runner.sim.Simulation;
import dev.hackablemail.runner.sim.SimulationRecord;
import dev.hackablemail.runner.sim.SimulationSpec;
import dev.hackablemail.schema.wasm.PluginChecker;
import dev.hackablemail.schema.xtp.Schema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The C template, generated and built for real (clang 14, wasm32-wasi) in a folder outside
 * the repository: the on-email example from the schema's code sample, and the stub of a
 * schema with every construct.
 */
class CTemplateTest {

    private static final Path SIMULATION = Path.of("../simulations/dist/test.wasm");
    private static final Path MOCK_HOST = Path.of("../mock-host/dist/host.wasm");

    /** Runs xtp-sim with these arguments; returns exit code, stdout and stderr. */
    record Run(int code, String out, String err) {}

    static Run xtpSim(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = XtpSim.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theGuidesVacationResponderIsShortBuildsAndSurvivesTheFuzzer(@TempDir Path dir) throws IOException {
        String guide = Files.readString(Path.of("../docs/writing-plugins.md"));
        int marker = guide.indexOf("<!-- vacation-c");
        int start = guide.indexOf("```c\n", marker) + "```c\n".length();
        String code = guide.substring(start, guide.indexOf("```", start));
        assertThat(marker).isPositive();
        assertThat(code.lines().filter(l -> !l.isBlank())).hasSizeLessThanOrEqualTo(25);

        CProjects.assumeToolchain();
        CProjects.generate(dir, CProjects.request("vacation", CProjects.onEmail(), false));
        Files.writeString(dir.resolve("src/plugin.c"), code);
        Path module = CProjects.build(dir, "vacation");
        assertThat(PluginChecker.check(CProjects.onEmail(), module)).isEmpty();
        FuzzResult result = Fuzzer.builder(GuestModule.load(module), CProjects.onEmail()).build()
                .run(FuzzListener.SILENT);
        assertThat(result.failures()).isEmpty();
        PluginTemplate plugin = PluginTemplate.builder(GuestModule.load(module))
                .withMockHost(GuestModule.load(MOCK_HOST)).build();
        try (GuestPlugin p = plugin.instantiate()) {
            // the mock host's scenario subjects: deliver fails (1) -> its code; a failed reply
            // after a delivery does not bounce the mail
            assertThat(p.call("onEmail", mail("simulation10"))).asString().isEqualTo("1");
            assertThat(p.call("onEmail", mail("simulation01"))).asString().isEqualTo("0");
            assertThat(p.call("onEmail", mail("Lunch?"))).asString().isEqualTo("0");
        }
    }

    @Test
    void nullableItemsMapValuesAndInputsPassThrough(@TempDir Path dir) throws IOException {
        CProjects.assumeToolchain();
        Schema schema = CProjects.load(Path.of("src/test/resources/dev/hackablemail/runner/init/nullable-values.yaml"));
        CProjects.generate(dir, CProjects.request("nullable", schema, false));
        Files.writeString(dir.resolve("src/plugin.c"), "#include \"pdk.h\"\n\n"
                + "int echo(const Holder *input, Holder *output) {\n"
                + "    if (!input) return 0; /* null in, an empty Holder out */\n"
                + "    *output = *input;\n    return 0;\n}\n");
        Path module = CProjects.build(dir, "nullable");
        PluginTemplate plugin = PluginTemplate.builder(GuestModule.load(module)).build();
        String value = "{\"items\":[\"a\",null,\"b\"],\"values\":{\"x\":1,\"y\":null}}";
        try (GuestPlugin p = plugin.instantiate()) {
            assertThat(p.call("echo", value.getBytes(StandardCharsets.UTF_8))).asString().isEqualTo(value);
            assertThat(p.call("echo", "null".getBytes(StandardCharsets.UTF_8))).asString()
                    .isEqualTo("{\"items\":[],\"values\":{}}");
        }
        FuzzResult result = Fuzzer.builder(GuestModule.load(module), schema).build().run(FuzzListener.SILENT);
        assertThat(result.failures()).isEmpty();
    }

    @Test
    void enumValuesThatAreNoIdentifiersBuildAndPassThrough(@TempDir Path dir) throws IOException {
        CProjects.assumeToolchain();
        Path file = dir.resolve("weird.yaml");
        Files.writeString(file, "version: v1-draft\nexports:\n  echo:\n    input:\n      contentType: application/json\n"
                + "      $ref: \"#/components/schemas/Weird\"\n    output:\n      contentType: application/json\n"
                + "      $ref: \"#/components/schemas/Weird\"\n  echoText:\n    input:\n"
                + "      contentType: text/plain; charset=utf-8\n      $ref: \"#/components/schemas/Weird\"\n"
                + "    output:\n      contentType: text/plain; charset=utf-8\n      $ref: \"#/components/schemas/Weird\"\n"
                + "components:\n  schemas:\n    Weird:\n      enum: [\"%d\", \"a*/b\", \"caf\u00e9\", \"\", \"a-b\", \"a_b\", \"??=\"]\n");
        Schema schema = CProjects.load(file);
        Path project = dir.resolve("p");
        CProjects.generate(project, CProjects.request("weird", schema, false));
        Files.writeString(project.resolve("src/plugin.c"), "#include \"pdk.h\"\n\n"
                + "int echo(const Weird *input, Weird *output) { *output = *input; return 0; }\n"
                + "int echoText(const Weird *input, Weird *output) { *output = *input; return 0; }\n");
        Path module = CProjects.build(project, "weird");
        assertThat(Files.readString(project.resolve("src/pdk.h"))).contains("Weird_a_b,", "Weird_a_b_2,", "Weird_,");
        PluginTemplate plugin = PluginTemplate.builder(GuestModule.load(module)).build();
        try (GuestPlugin p = plugin.instantiate()) {
            for (String value : schema.types().get("Weird").enumValues()) {
                String json = "\"" + value + "\"";
                assertThat(p.call("echo", json.getBytes(StandardCharsets.UTF_8))).asString(StandardCharsets.UTF_8)
                        .isEqualTo(json);
                assertThat(p.call("echoText", value.getBytes(StandardCharsets.UTF_8))).asString(StandardCharsets.UTF_8)
                        .isEqualTo(value);
            }
            assertThat(catchThrowableOfType(() -> p.call("echo", "\"%s%s%s\"".getBytes(StandardCharsets.UTF_8)),
                    GuestCallException.class).guestError())
                    .isEqualTo("echo: input: expected one of %d, a*/b, caf\u00e9, , a-b, a_b, ??=, got \"%s%s%s\"");
        }
    }

    @Test
    void objectsThatPointAtEachOtherAreAnErrorNotAStackOverflow(@TempDir Path dir) throws IOException {
        CProjects.assumeToolchain();
        CProjects.generate(dir, CProjects.request("cycle", CProjects.allConstructs(), false));
        String code = Files.readString(dir.resolve("src/plugin.c")).replace(
                "int echoChain(const Chain *input, Chain *output) {\n    (void)input;\n    (void)output;\n",
                "int echoChain(const Chain *input, Chain *output) {\n    output->name = input->name;\n"
                        + "    output->next = output;\n    output->has_next = true;\n    return 0;\n");
        Files.writeString(dir.resolve("src/plugin.c"), code);
        Path module = CProjects.build(dir, "cycle");
        try (GuestPlugin p = PluginTemplate.builder(GuestModule.load(module)).build().instantiate()) {
            GuestCallException e = catchThrowableOfType(
                    () -> p.call("echoChain", "{\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8)),
                    GuestCallException.class);
            assertThat(e.kind()).isEqualTo(GuestCallException.Kind.ERROR);
            assertThat(e.guestError()).startsWith("echoChain: output.next.next.next.")
                    .endsWith(": nested more than 64 objects deep (do they point at each other?)");
        }
    }

    private static byte[] mail(String subject) {
        return ("{\"sender\":\"a@example.com\",\"receiver\":\"b@example.com\",\"headers\":{\"Subject\":\""
                + subject + "\"},\"body\":\"Hi\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnEmailWithCodeSamples {

        Path project;
        Path module;
        Run build;

        @BeforeAll
        void initAndBuild(@TempDir Path dir) {
            CProjects.assumeToolchain();
            project = dir.resolve("xyz");
            Run init = xtpSim("plugin", "init", "--schema", CProjects.ON_EMAIL.toString(), "--template", "c",
                    "--path", project.toString(), "--feature", "stub-with-code-samples",
                    "--with", SIMULATION.toString(), "--mock-host", MOCK_HOST.toString());
            assertThat(init.code()).as(init.err()).isZero();
            build = xtpSim("plugin", "build", "--path", project.toString());
            module = project.resolve("dist/xyz.wasm");
        }

        @Test
        void buildsAModuleAndSaysWhere() {
            assertThat(build.code()).as(build.out() + build.err()).isZero();
            assertThat(build.out()).contains("Built " + module.normalize() + " (");
            assertThat(module).isRegularFile();
        }

        @Test
        void theModuleFitsTheSchema() throws IOException {
            assertThat(PluginChecker.check(CProjects.onEmail(), module)).isEmpty();
        }

        @Test
        void theModulePassesTheExamplesBehaviouralSimulation() {
            SimulationRecord record = new SimulationRecord();
            Simulation.run(SimulationSpec.builder(module, SIMULATION).withMockHost(MOCK_HOST).build(), record);
            assertThat(record.result().failure()).isNull();
            assertThat(record.result().passed()).isEqualTo(66);
            assertThat(record.result().failed()).isZero();
        }

        @Test
        void xtpSimTestRunsTheProjectsTestsWithNoArguments() {
            Run test = xtpSim("test", "--path", project.toString());
            assertThat(test.code()).as(test.out() + test.err()).isZero();
            assertThat(test.out()).contains("66 passed, 0 failed");
        }

        @Test
        void theModuleSurvivesTheFuzzerAtItsDefaults() {
            Schema schema = CProjects.onEmail();
            FuzzResult result = Fuzzer.builder(GuestModule.load(module), schema).build().run(FuzzListener.SILENT);
            assertThat(result.failures()).isEmpty();
            assertThat(result.runs()).isPositive();
        }

        @Test
        void theImplementationFileIsTheCodeSampleAndTheBindingsSayNeverEdit() throws IOException {
            String plugin = Files.readString(project.resolve("src/plugin.c"));
            assertThat(plugin).contains("#include \"pdk.h\"", "host_deliver(input, output)", "Project XYZ");
            assertThat(Files.readString(project.resolve("src/pdk.h"))).contains("DO NOT EDIT");
            assertThat(Files.readString(project.resolve("src/pdk.c"))).contains("DO NOT EDIT");
            assertThat(Files.readString(project.resolve("Makefile"))).contains("WASM_CC ?= clang-14")
                    .doesNotContain("/work/");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AllConstructsStub {

        Path module;
        PluginTemplate plugin;

        @BeforeAll
        void generateAndBuild(@TempDir Path dir) {
            CProjects.assumeToolchain();
            CProjects.generate(dir, CProjects.request("stub", CProjects.allConstructs(), false));
            module = CProjects.build(dir, "stub");
            plugin = PluginTemplate.builder(GuestModule.load(module)).build();
        }

        @Test
        void theStubFitsTheSchema() throws IOException {
            assertThat(PluginChecker.check(CProjects.allConstructs(), module)).isEmpty();
        }

        private GuestCallException call(String export, byte[] input) {
            try (GuestPlugin p = plugin.instantiate()) {
                return catchThrowableOfType(() -> p.call(export, input), GuestCallException.class);
            }
        }

        @Test
        void eachStubFailsWithNotImplementedNotATrap() {
            GuestCallException e = call("tick", new byte[0]);
            assertThat(e.kind()).isEqualTo(GuestCallException.Kind.ERROR);
            assertThat(e.guestError()).isEqualTo("tick: not implemented yet: write it in src/plugin.c");
            e = call("echoFlag", "true".getBytes(StandardCharsets.UTF_8));
            assertThat(e.guestError()).isEqualTo("echoFlag: not implemented yet: write it in src/plugin.c");
        }

        static final String VALID = "{\"text\":\"t\",\"flag\":true,\"small\":1,\"big\":2,\"ratio\":0.5,\"single\":1.5,"
                + "\"when\":\"2024-05-01T12:30:00Z\",\"color\":\"red\",\"point\":{\"x\":1.0,\"y\":2.0},\"blob\":\"AAEC\","
                + "\"tags\":[],\"counts\":{},\"maybe\":null}";

        @Test
        void aValidInputReachesTheStub() {
            assertThat(call("echo", VALID.getBytes(StandardCharsets.UTF_8)).guestError())
                    .isEqualTo("echo: not implemented yet: write it in src/plugin.c");
        }

        @ParameterizedTest(name = "{0} {1}: {2}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "echo      | {}                                 | echo: input.text: is missing (required)",
            "echo      | {\"text\":1}                       | echo: input.text: expected a string, got a number",
            "echo      | []                                 | echo: input: expected an object (Everything), got an array",
            "echo      | `VALID:\"small\":1,|\"small\":2147483648,` | echo: input.small: expected an integer that fits in 32 bits, got 2147483648",
            "echo      | `VALID:\"blob\":\"AAEC\"|\"blob\":\"A@==\"` | echo: input.blob: expected base64, got a character that is not base64 at offset 1",
            "echo      | `VALID:\"tags\":[]|\"tags\":[\"a\",3]` | echo: input.tags[1]: expected a string, got a number",
            "echo      | `VALID:\"maybe\":null|\"maybe\":null,\"maybe\":null` | echo: input.maybe: appears twice",
            "echo      | `VALID:\"point\":{\"x\":1.0,\"y\":2.0}|\"point\":{\"x\":1.0}` | echo: input.point.y: is missing (required)",
            "echo      | `VALID:\"counts\":{}|\"counts\":{\"a\":1.5}` | echo: input.counts[\"a\"]: expected an integer, got 1.5",
            "echo      | `VALID:\"color\":\"red\"|\"color\":\"purple\"` | echo: input.color: expected one of red, green, blue-ish, got \"purple\"",
            "echo      | `VALID:\"maybe\":null|\"maybe\":false` | echo: input.maybe: expected a string, got a boolean",
            "echoFlag  | nope                               | echoFlag: input: not valid JSON",
            "echoFlag  | ``                                 | echoFlag: input: empty, expected JSON",
            "echoWhen  | \"2024-02-30T00:00:00Z\"           | echoWhen: input: expected a date-time such as 2024-05-01T12:30:00Z, got '2024-02-30T00:00:00Z'",
            "echoPoints| [{\"x\":1,\"y\":1e39}]             | echoPoints: input[0].y: the number is too large for a float",
            "echoNumber| 1e400                              | echoNumber: input: the number is too large for a double",
            "echoMap   | {\"a\":\"b\",\"c\":7}              | echoMap: input[\"c\"]: expected a string, got a number",
            "echoChain | {\"name\":\"a\",\"next\":{\"name\":2}} | echoChain: input.next.name: expected a string, got a number",
        })
        void hostileInputIsAnErrorNamingTheFieldNeverATrap(String export, String input, String message) {
            GuestCallException e = call(export.strip(), json(input.strip()).getBytes(StandardCharsets.UTF_8));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(GuestCallException.Kind.ERROR);
            assertThat(e.guestError()).isEqualTo(message.strip());
        }

        /** "VALID:a|b" is the valid input with a replaced by b. */
        private static String json(String spec) {
            if (!spec.startsWith("VALID:")) {
                return spec;
            }
            String[] parts = spec.substring("VALID:".length()).split("\\|", 2);
            assertThat(VALID).contains(parts[0]);
            return VALID.replace(parts[0], parts[1]);
        }

        @Test
        void invalidUtf8IsAnErrorSayingWhere() {
            byte[] text = {'a', (byte) 0xff, 'b'};
            assertThat(call("echoText", text).guestError()).isEqualTo("echoText: input: not valid UTF-8 text");
            byte[] json = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'};
            assertThat(call("echo", json).guestError()).isEqualTo("echo: input: not valid JSON: invalid UTF-8 at byte 9");
        }

        @Test
        void aMessageQuotingInputCutInsideACharacterStaysUtf8() {
            String input = "\"a" + "\u00e9".repeat(30) + "\"";
            assertThat(call("echoWhen", input.getBytes(StandardCharsets.UTF_8)).guestError()).isEqualTo(
                    "echoWhen: input: expected a date-time such as 2024-05-01T12:30:00Z, got 'a" + "\u00e9".repeat(19) + "?'");
        }

        @Test
        void deepNestingIsAnErrorNotAStackOverflow() {
            String deep = "[".repeat(100_000) + "]".repeat(100_000);
            GuestCallException e = call("echoPoints", deep.getBytes(StandardCharsets.UTF_8));
            assertThat(e.kind()).isEqualTo(GuestCallException.Kind.ERROR);
            assertThat(e.guestError()).isEqualTo("echoPoints: input: not valid JSON");
        }
    }
}

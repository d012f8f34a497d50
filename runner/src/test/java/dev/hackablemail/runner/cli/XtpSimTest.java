package dev.hackablemail.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.runner.guest.EntropyPlugin;
import dev.hackablemail.runner.guest.WasiSources;
import dev.hackablemail.runner.guest.InitializationTest;
import dev.hackablemail.runner.guest.Wat;
import dev.hackablemail.runner.guest.WasmMutants;
import dev.hackablemail.runner.sim.WatTestModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

/** The command line through picocli: exit codes, console output, reports, xtp.toml. */
class XtpSimTest {

    @TempDir
    Path dir;

    Path plugin;
    Path passing;
    Path failing;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeModules() throws IOException {
        plugin = dir.resolve("plugin.wasm");
        Files.write(plugin, Wat.bytes("limits.wat"));
        passing = new WatTestModule().group("echo")
                .assertCallEquals("echo returns its input", "echo", "hello", "hello")
                .writeTo(dir, "passing.wasm");
        failing = new WatTestModule().group("echo")
                .assertCallEquals("echo returns its input", "echo", "hello", "hello")
                .assertCallEquals("a wrong expectation fails", "echo", "hello", "bye")
                .writeTo(dir, "failing.wasm");
    }

    private int run(String... args) {
        CommandLine cli = XtpSim.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void benchTimesThePluginsOnlyExtismExportWhenNoFunctionIsNamed() throws IOException {
        Path single = dir.resolve("single.wasm");
        Files.write(single, com.dylibso.chicory.wabt.Wat2Wasm.parse(
                "(module (memory (export \"memory\") 1) (func (export \"_initialize\"))"
                        + " (func (export \"only\") (result i32) (i32.const 0)))"));

        assertThat(run("bench", "--time-calls", "3", "--plugin", single.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("{\"calls\":3,\"medianNanos\":");
    }

    @Test
    void benchAsksWhichExportWhenThePluginHasSeveral() {
        assertThat(run("bench", "--cold-runs", "0", "--plugin", plugin.toString(), "--with", passing.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("xtp-sim bench: " + plugin + " has 8 Extism exports (echo, fail, count, spin, trap, greedy, grow, big_output",
                "): name the one to time with --function");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void userMistakesAreUsageErrorsNotInternalErrors() {
        String[][] cases = {
                {"test", plugin.toString(), "--with", passing.toString(), "--log-level", "loud"},
                {"test", plugin.toString(), "--with", passing.toString(), "--warm-up", "-1"},
                {"bench", "--cold-runs", "0", "--function", "nosuch", "--plugin", plugin.toString()}};
        String[] says = {
                "Invalid value for option '--log-level': 'loud' is not a log level: trace, debug, info, warn, error or off",
                "Invalid value for option '--warm-up': '-1' is not a count: a whole number from 0 to 2147483647",
                "xtp-sim bench: " + plugin + " has no export named 'nosuch' (its exports: "};
        for (int i = 0; i < cases.length; i++) {
            err.getBuffer().setLength(0);
            assertThat(run(cases[i])).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(err.toString()).contains(says[i]).doesNotContain("internal error");
        }
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aNumberThatIsNoneSaysWhatIsExpected() {
        String[][] cases = {
                {"fuzz", plugin.toString(), "--schema", "x.yaml", "--seed", "abc"},
                {"fuzz", plugin.toString(), "--schema", "x.yaml", "--runs", "many"},
                {"call", plugin.toString(), "echo", "--repeat", "99999999999"},
                {"plugin", "rollback", "abc", "--server", "http://127.0.0.1:9"}};
        String[] says = {
                "'abc' is not a whole number from -9223372036854775808 to 9223372036854775807",
                "'many' is not a whole number from 0 to 2147483647",
                "'99999999999' is not a whole number from 0 to 2147483647",
                "'abc' is not a whole number from 0 to 2147483647"};
        for (int i = 0; i < cases.length; i++) {
            err.getBuffer().setLength(0);
            assertThat(run(cases[i])).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(err.toString()).contains(says[i]).doesNotContain("is not a long").doesNotContain("is not an int");
        }
    }

    /** A footer line longer than the help's width is wrapped by picocli mid-token: the example no longer pastes. */
    @Test
    void everyHelpExampleFitsTheHelpWidthSoThatItCanBePasted() {
        java.util.Deque<CommandLine> commands = new java.util.ArrayDeque<>(List.of(XtpSim.commandLine()));
        int checked = 0;
        while (!commands.isEmpty()) {
            CommandLine command = commands.pop();
            commands.addAll(command.getSubcommands().values());
            int width = command.getCommandSpec().usageMessage().width();
            for (String line : command.getCommandSpec().usageMessage().footer()) {
                assertThat(line.length()).as(command.getCommandSpec().qualifiedName() + ": " + line)
                        .isLessThanOrEqualTo(width);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void noCommandsHelpSpeaksOfMail() {
        java.util.Deque<CommandLine> commands = new java.util.ArrayDeque<>(List.of(XtpSim.commandLine("--help")));
        while (!commands.isEmpty()) {
            CommandLine command = commands.pop();
            commands.addAll(command.getSubcommands().values());
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF)
                    .replace("hackable-email", "").replace("HACKABLE_EMAIL", ""); // the push server's name
            assertThat(help).as(command.getCommandName()).doesNotContainIgnoringCase("mail");
        }
    }

    @Test
    void aRunAddsOnlyTheSubcommandItNames() {
        assertThat(XtpSim.commandLine("test", "x.wasm", "--with", "t.wasm").getSubcommands()).containsOnlyKeys("test");
        assertThat(XtpSim.commandLine("schema", "validate", "s.yaml").getSubcommands()).containsOnlyKeys("schema");
        assertThat(XtpSim.commandLine("--version").getSubcommands()).isEmpty();
        assertThat(XtpSim.commandLine("-V").getSubcommands()).isEmpty();
    }

    @Test
    void helpNoCommandAndUnknownCommandsGetTheWholeTreeInOrder() {
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "test"}, {"tset"}}) {
            assertThat(XtpSim.commandLine(args).getSubcommands().keySet())
                    .containsExactly("test", "call", "check", "plugin", "schema", "bench", "fuzz", "help");
        }
    }

    @Test
    void eachSubcommandIsListedUnderItsOwnName() {
        XtpSim.SUBCOMMANDS.forEach((name, type) ->
                assertThat(type.getAnnotation(CommandLine.Command.class).name()).isEqualTo(name));
    }

    @Test
    void versionAloneStillPrintsTheVersion() {
        CommandLine cli = XtpSim.commandLine("--version");
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("xtp-sim ");
    }

    @Test
    void theVersionShortcutPrintsWhatPicocliPrints() {
        CommandLine cli = XtpSim.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.execute("--version");
        assertThat(String.join(System.lineSeparator(), new XtpSim.Version().getVersion()) + System.lineSeparator())
                .isEqualTo(out.toString());
        assertThat(XtpSim.onlyVersion("--version")).isTrue();
        assertThat(XtpSim.onlyVersion("-V")).isTrue();
        assertThat(XtpSim.onlyVersion("--version", "--help")).isFalse();
        assertThat(XtpSim.onlyVersion("test", "--version")).isFalse();
    }

    @Test
    void anUnknownCommandIsABadArgument() {
        CommandLine cli = XtpSim.commandLine("tset");
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("tset")).isEqualTo(2);
        assertThat(err.toString()).contains("tset").contains("test");
    }

    @Test
    void aPassingSimulationExitsZeroAndPrintsGroupsAssertsAndTheSummary() {
        int status = run("test", plugin.toString(), "--with", passing.toString(), "--color", "never");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("  echo\n")
                .contains("    ✓ echo returns its input\n")
                .contains("\n1 passed, 0 failed\n");
    }

    @Test
    void aFailingAssertExitsOneWithItsReason() {
        int status = run("test", plugin.toString(), "--with", failing.toString(), "--color", "never");
        assertThat(status).isEqualTo(1);
        assertThat(out.toString())
                .contains("    ✗ a wrong expectation fails: expected bye\n")
                .contains("\n1 passed, 1 failed\n");
    }

    @Test
    void colourIsOnlyUsedWhenAsked() {
        run("test", plugin.toString(), "--with", passing.toString(), "--color", "always");
        assertThat(out.toString()).contains("\u001b[32m✓");
        out.getBuffer().setLength(0);
        run("test", plugin.toString(), "--with", passing.toString());
        assertThat(out.toString()).doesNotContain("\u001b[");
    }

    @Test
    void reportsListEveryAssertInJsonAndJUnitXml() throws Exception {
        Path json = dir.resolve("report.json");
        Path xml = dir.resolve("report.xml");
        run("test", plugin.toString(), "--with", failing.toString(), "--report-json", json.toString(),
                "--report-junit", xml.toString());

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("passed").asInt()).isEqualTo(1);
        assertThat(report.get("failed").asInt()).isEqualTo(1);
        JsonNode group = report.get("groups").get(0);
        assertThat(group.get("name").asText()).isEqualTo("echo");
        assertThat(group.get("asserts").get(1).get("name").asText()).isEqualTo("a wrong expectation fails");
        assertThat(group.get("asserts").get(1).get("passed").asBoolean()).isFalse();
        assertThat(group.get("asserts").get(1).get("reason").asText()).isEqualTo("expected bye");

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(2);
        assertThat(doc.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("message")
                .getNodeValue()).isEqualTo("expected bye");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void problemsThatPreventARunExitTwoNamingTheFile() throws IOException {
        Path garbage = dir.resolve("garbage.wasm");
        Files.writeString(garbage, "nope");
        assertThat(run("test", garbage.toString(), "--with", passing.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("garbage.wasm: not a valid Wasm module");

        assertThat(run("test", plugin.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("missing --with");

        assertThat(run("test", plugin.toString(), "--with", passing.toString(), "--mock-input-file",
                dir.resolve("absent.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("mock input file").contains("absent.json").contains("no such file");

        assertThat(run("test", plugin.toString(), "--with", passing.toString(), "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void absurdDurationsAreRefusedWithTheRangeAndNoStackTrace() {
        for (String[] args : new String[][] {
                {"test", plugin.toString(), "--with", passing.toString(), "--timeout", "200000d"},
                {"test", plugin.toString(), "--with", passing.toString(), "--run-timeout", "200000d"},
                {"fuzz", plugin.toString(), "--schema", "x.yaml", "--time", "200000d"}}) {
            err.getBuffer().setLength(0);
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).contains("'200000d' is too long: a duration is 1ms to 3650d (ten years)")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void everyCommandsHelpShowsTheOneExitCodeTable() {
        for (String[] help : new String[][] {{"--help"}, {"test", "--help"}, {"call", "--help"}, {"check", "--help"},
                {"schema", "validate", "--help"}, {"plugin", "push", "--help"}}) {
            out.getBuffer().setLength(0);
            assertThat(run(help)).isZero();
            assertThat(out.toString()).as(String.join(" ", help)).contains("Exit codes:")
                    .containsPattern("\\s0\\s+passed: every assert held")
                    .containsPattern("\\s1\\s+failed: an assert failed")
                    .containsPattern("\\s2\\s+could not run: bad arguments");
        }
        // a representative failure of each kind: the documented code
        assertThat(run("test", plugin.toString(), "--with", failing.toString())).isEqualTo(1);
        assertThat(run("check", plugin.toString(), "--schema", dir.resolve("absent.yaml").toString())).isEqualTo(2);
    }

    @Test
    void aSeedMakesRandomBytesAndTimeRepeatableAndIsRecorded() throws IOException {
        Path entropyPlugin = dir.resolve("entropy.wasm");
        Files.write(entropyPlugin, EntropyPlugin.wasm());
        String expected = EntropyPlugin.entropy(WasiSources.seeded(7));
        Path test = new WatTestModule().group("entropy")
                .assertCallEquals("the same bytes as any other run with seed 7", "entropy", "", expected)
                .writeTo(dir, "entropy-test.wasm");
        Path json = dir.resolve("seeded.json");

        assertThat(run("test", entropyPlugin.toString(), "--with", test.toString(), "--seed", "7",
                "--report-json", json.toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains(", seed 7)");
        assertThat(new ObjectMapper().readTree(json.toFile()).get("simulations").get(0).get("seed").asLong())
                .isEqualTo(7);
        assertThat(run("test", entropyPlugin.toString(), "--with", test.toString())).isEqualTo(1);
    }

    @Test
    void executionIsSpelledAsInEveryOtherSettingAndTheOldFlagStillWorks() {
        assertThat(run("test", plugin.toString(), "--with", passing.toString(), "--execution", "interpreter"))
                .as(err.toString()).isZero();
        assertThat(run("test", plugin.toString(), "--with", passing.toString(), "--interpreter"))
                .as(err.toString()).isZero();
        assertThat(run("test", plugin.toString(), "--with", passing.toString(), "--execution", "jit")).isEqualTo(2);
        assertThat(err.toString()).contains("'jit' is neither compiler nor interpreter");
    }

    @Test
    void aMemoryLimitBeyond4GiBIsRefusedNotCutDownAndAZeroKernelLimitIsRefused() {
        assertThat(run("test", plugin.toString(), "--with", passing.toString(), "--memory-limit", "5GiB"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("'5GiB' is more than the 4GiB a linear memory can have");
        assertThat(run("test", plugin.toString(), "--with", passing.toString(), "--kernel-limit", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("'0' must be more than zero");
    }

    @Test
    void withoutArgumentsItRunsTheTestsOfXtpToml() throws IOException {
        Files.writeString(dir.resolve("xtp.toml"), """
                app_id = "ignored"
                bin = "plugin.wasm"

                [[test]]
                name = "from toml"
                build = "echo built > built.txt"
                with = "%s"
                mock_input = { data = "hi" }
                """.formatted(passing.getFileName()));
        int status = run("test", "--path", dir.toString(), "--color", "never");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("from toml").contains("1 passed, 0 failed");
        assertThat(dir.resolve("built.txt")).hasContent("built");
    }

    @Test
    void theMainJobNamesItsModulesTheSameWithAndWithoutArguments() {
        // tests run in runner/: the repository's xtp.toml is ../xtp.toml, as ./xtp.toml is from the top
        assertThat(run("test", "../example-plugin/dist/plugin.wasm", "--with", "../simulations/dist/test.wasm",
                "--mock-host", "../mock-host/dist/host.wasm", "--color", "never")).as(err.toString()).isZero();
        String withArguments = out.toString().lines().findFirst().orElseThrow();
        out.getBuffer().setLength(0);
        assertThat(run("test", "--path", "../.", "--color", "never")).as(err.toString()).isZero();
        String withoutArguments = out.toString().lines().findFirst().orElseThrow();

        assertThat(withArguments).isEqualTo("simulation test.wasm (test ../simulations/dist/test.wasm, plugin"
                + " ../example-plugin/dist/plugin.wasm, mock host ../mock-host/dist/host.wasm)");
        assertThat(withoutArguments.substring(withoutArguments.indexOf(" ("))).doesNotContain("/./")
                .isEqualTo(withArguments.substring(withArguments.indexOf(" (")));
    }

    @Test
    void aMalformedXtpTomlExitsTwo() throws IOException {
        Files.writeString(dir.resolve("xtp.toml"), "bin = \"plugin.wasm\"\n[[test]\nwith = 3\n");
        assertThat(run("test", "--path", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("xtp.toml: not valid TOML");

        Files.writeString(dir.resolve("xtp.toml"), "bin = \"plugin.wasm\"\n[[test]]\nname = \"no with\"\n");
        assertThat(run("test", "--path", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("test[0] has no 'with'");

        Files.writeString(dir.resolve("xtp.toml"),
                "bin = \"plugin.wasm\"\n[[test]]\nwith = \"t.wasm\"\nmock_input = { file = \"gone.txt\" }\n");
        assertThat(run("test", "--path", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("mock_input file").contains("gone.txt");
    }

    @Test
    void callPrintsTheOutputAndFailsWithTheGuestsError() {
        assertThat(run("call", plugin.toString(), "fail", "--input", "broken")).isEqualTo(1);
        assertThat(err.toString()).contains("fail returned error code 3: broken");
        assertThat(run("call", plugin.toString(), "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("has no export named 'nope'");
    }

    @Test
    void anUnreadableInputFileIsNamedWithTheReason() {
        assertThat(run("call", plugin.toString(), "echo", "--input-file", dir.resolve("absent").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).isEqualTo("xtp-sim call: " + dir.resolve("absent") + ": no such file (--input-file)\n");
        err.getBuffer().setLength(0);
        assertThat(run("call", plugin.toString(), "echo", "--input-file", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).as(out.toString()).isEqualTo("xtp-sim call: " + dir + ": cannot be read (--input-file): a folder\n");
    }

    @Test
    void aReportThatCannotBeWrittenComesAfterTheResultsNamingTheFile() {
        Path nowhere = dir.resolve("no/such/r.json");
        assertThat(run("test", plugin.toString(), "--with", passing.toString(), "--color", "never",
                "--report-json", nowhere.toString(), "--report-junit", dir.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("echo returns its input");
        assertThat(err.toString()).isEqualTo("xtp-sim test: " + nowhere + ": cannot be written: no such folder"
                + " (--report-json)\nxtp-sim test: " + dir + ": cannot be written: is a folder (--report-junit)\n");
    }

    @Test
    void aTestModulesOwnErrorIsPrintedReportedAndExitsOne() throws Exception {
        String why = "Failed to fetch mock input, not provided by test runner.";
        Path throwing = new WatTestModule().group("fetch").errorSet(why).returning(-1).writeTo(dir, "throwing.wasm");
        Path json = dir.resolve("report.json");
        Path xml = dir.resolve("report.xml");

        int status = run("test", plugin.toString(), "--with", throwing.toString(), "--report-json", json.toString(),
                "--report-junit", xml.toString());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).contains("  test returned -1: " + why + "\n");
        JsonNode simulation = new ObjectMapper().readTree(json.toFile()).get("simulations").get(0);
        assertThat(simulation.get("error").asText()).isEqualTo(why);
        assertThat(simulation.get("testReturnCode").asInt()).isEqualTo(-1);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertThat(doc.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("message").getNodeValue())
                .isEqualTo("test returned -1: " + why);
    }

    @Test
    void aModuleThatNeverFinishesInitializingFailsTheRunWithExitOne() throws IOException {
        Path looping = dir.resolve("looping.wasm");
        Files.write(looping, com.dylibso.chicory.wabt.Wat2Wasm.parse(InitializationTest.LOOPING_START));

        assertThat(run("call", looping.toString(), "onEmail", "--timeout", "300ms")).isEqualTo(1);
        assertThat(err.toString()).contains("xtp-sim call: " + looping
                + ": did not finish initializing within 300 ms (time limit): its start function was stopped");

        assertThat(run("test", looping.toString(), "--with", passing.toString(), "--timeout", "300ms")).isEqualTo(1);
        assertThat(out.toString()).contains("  " + looping + ": did not finish initializing within 300 ms");

        out.getBuffer().setLength(0);
        assertThat(run("test", plugin.toString(), "--with", looping.toString(), "--timeout", "300ms")).isEqualTo(2);
        assertThat(err.toString()).contains("no export named 'test'");
    }

    @Test
    void aTestModuleThatNeverFinishesInitializingFailsTheRunWithExitOne() throws IOException {
        String wat = new WatTestModule().wat().replace("(memory 1)",
                "(memory 1)\n  (func $spin (loop $l (br $l)))\n  (start $spin)");
        Path looping = dir.resolve("looping-test.wasm");
        Files.write(looping, com.dylibso.chicory.wabt.Wat2Wasm.parse(wat));

        assertThat(run("test", plugin.toString(), "--with", looping.toString(), "--timeout", "300ms")).isEqualTo(1);
        assertThat(out.toString()).contains("  " + looping + ": did not finish initializing within 300 ms");
    }

    @Test
    void modulesThatCrashChicorysParserAreNotValidModulesExitingTwo() throws IOException {
        java.util.List<byte[]> crashing = WasmMutants.crashing(WasmMutants.ofExamplePlugin(Path.of("..")));
        assertThat(crashing).isNotEmpty();
        for (int i = 0; i < crashing.size(); i++) {
            Path mutant = Files.write(dir.resolve("mutant-" + i + ".wasm"), crashing.get(i));
            for (String[] args : java.util.List.of(
                    new String[] {"check", mutant.toString(), "--schema", "../schema/on-email.yaml"},
                    new String[] {"call", mutant.toString(), "onEmail"},
                    new String[] {"test", mutant.toString(), "--with", passing.toString()})) {
                err.getBuffer().setLength(0);
                assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
                assertThat(err.toString()).as(String.join(" ", args))
                        .contains(mutant + ": not a valid Wasm module: ")
                        .doesNotContain("internal error").doesNotContain("\tat ");
            }
        }
    }

    @Test
    void modulesNamedByUrlInXtpTomlAreDownloadedOnceAndRunOffline() throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        Path cache = dir.resolve("cache");
        Files.writeString(dir.resolve("xtp.toml"), """
                bin = "%splugin.wasm"
                [[test]]
                name = "remote"
                with = "%spassing.wasm"
                """.formatted(base, base));
        try {
            assertThat(run("test", "--path", dir.toString(), "--cache", cache.toString())).as(err.toString()).isZero();
            assertThat(run("test", "--path", dir.toString(), "--cache", cache.toString())).isZero();
            assertThat(requests).as("fetched once").hasValue(2);
        } finally {
            server.stop(0);
        }
        assertThat(run("test", "--path", dir.toString(), "--cache", cache.toString(), "--offline")).isZero();
        assertThat(out.toString()).contains("remote").contains("1 passed, 0 failed");

        assertThat(run("test", "--path", dir.toString(), "--cache", dir.resolve("empty").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("xtp.toml: bin: " + base + "plugin.wasm: cannot be downloaded: ");
        err.getBuffer().setLength(0);
        assertThat(run("call", base + "plugin.wasm", "echo", "--cache", dir.resolve("empty").toString(), "--offline"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("xtp-sim call: " + base + "plugin.wasm: not in the download cache");
    }

    @Test
    void helpExplainsExitCodes() {
        assertThat(run("test", "--help")).isZero();
        assertThat(out.toString()).contains("Exit codes:").contains("--mock-input-file").contains("xtp.toml");
    }
}

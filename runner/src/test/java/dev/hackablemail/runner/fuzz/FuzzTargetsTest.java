package dev.hackablemail.runner.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.runner.guest.GuestModule;
import dev.hackablemail.schema.xtp.Schema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The fuzz targets (fuzz-targets/, one deliberate defect each) are caught within the default
 * number of inputs at a fixed seed, and the example plugin passes, with and without its mock
 * host. The time budget is raised so that a slow machine runs the same inputs.
 */
class FuzzTargetsTest {

    private static final Path ROOT = Path.of("..");
    static final Schema ON_EMAIL = SchemaFiles.load(ROOT.resolve("schema/on-email.yaml"));

    static Fuzzer.Builder fuzzer(String plugin) {
        return Fuzzer.builder(GuestModule.load(ROOT.resolve(plugin)), ON_EMAIL)
                .seed(1)
                .time(Duration.ofMinutes(2))
                .shrinkTime(Duration.ofSeconds(3));
    }

    private static List<Property> failed(FuzzResult result) {
        return result.failures().stream().map(FuzzFailure::property).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "utf8-trap, NO_TRAP_OR_ERROR",
        "long-body-loop, NO_TIMEOUT_OR_LIMIT",
        "header-table, NO_TRAP_OR_ERROR",
        "raw-reply, HOST_PAYLOADS",
        "bad-output, OUTPUT_MATCHES_SCHEMA",
        "nondeterministic, DETERMINISTIC",
    })
    void eachDefectIsCaughtWithinTheDefaultRuns(String target, Property property) {
        FuzzResult result = fuzzer("fuzz-targets/dist/" + target + ".wasm").build().run(FuzzListener.SILENT);

        assertThat(failed(result)).containsExactly(property);
        assertThat(result.runs()).isEqualTo(Fuzzer.DEFAULT_RUNS);
        FuzzFailure failure = result.failures().get(0);
        assertThat(failure.inputBytes()).isLessThanOrEqualTo(failure.originalBytes());
        // the shrunk input still fails the same way when replayed
        assertThat(fuzzer("fuzz-targets/dist/" + target + ".wasm").build()
                .replay(failure.input(), failure.hostSeed()).map(FuzzFailure::property)).contains(property);
    }

    @Test
    void theTrapIsShrunkToTheThreeByteCharacter() {
        FuzzFailure failure = fuzzer("fuzz-targets/dist/utf8-trap.wasm").build().run(FuzzListener.SILENT)
                .failures().get(0);

        String subject = failure.input().path("headers").elements().next().textValue();
        assertThat(subject.codePoints()).hasSize(1);
        assertThat(new String(Character.toChars(subject.codePointAt(0))).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSize(3);
        assertThat(failure.input().path("body").textValue()).isEmpty();
    }

    @Test
    void aRunIsReproducibleFromItsSeed() {
        FuzzFailure first = fuzzer("fuzz-targets/dist/header-table.wasm").runs(50).build().run(FuzzListener.SILENT)
                .failures().get(0);
        FuzzFailure again = fuzzer("fuzz-targets/dist/header-table.wasm").runs(50).build().run(FuzzListener.SILENT)
                .failures().get(0);

        // what shrinking reaches depends on its time budget; what the seed decides does not
        assertThat(List.of(again.caseNumber(), again.hostSeed(), again.originalBytes()))
                .isEqualTo(List.of(first.caseNumber(), first.hostSeed(), first.originalBytes()));
    }

    @Test
    void theExamplePluginPassesWithAnswersFromTheSchema() {
        FuzzResult result = fuzzer("example-plugin/dist/plugin.wasm").build().run(FuzzListener.SILENT);

        assertThat(result.failures()).isEmpty();
        assertThat(result.runs()).isEqualTo(Fuzzer.DEFAULT_RUNS);
    }

    @Test
    void theExamplePluginPassesWithItsMockHost() {
        FuzzResult result = fuzzer("example-plugin/dist/plugin.wasm")
                .mockHost(GuestModule.load(ROOT.resolve("mock-host/dist/host.wasm")))
                .build().run(FuzzListener.SILENT);

        assertThat(result.failures()).isEmpty();
    }

    @Test
    void theRawReplyIsCaughtThroughTheMockHostToo() {
        FuzzResult result = fuzzer("fuzz-targets/dist/raw-reply.wasm")
                .mockHost(GuestModule.load(ROOT.resolve("mock-host/dist/host.wasm")))
                .build().run(FuzzListener.SILENT);

        assertThat(failed(result)).contains(Property.HOST_PAYLOADS);
    }
}

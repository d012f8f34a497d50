package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hackablemail.schema.wasm.WasmStructure;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Damaged modules: every failure to parse or validate one is "not a valid Wasm module", naming it. */
class InvalidModuleTest {

    private static final List<byte[]> MUTANTS = WasmMutants.ofExamplePlugin(Path.of(".."));
    private static final GuestModule HOST = GuestModule.load(Path.of("../mock-host/dist/host.wasm"));

    @Test
    void theMutantsIncludeBytesThatCrashChicorysParser() {
        assertThat(WasmMutants.crashing(MUTANTS)).as("mutants that make Parser.parse throw an NPE or AIOOBE")
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void whatCrashesChicorysParserIsExplainedWithoutJavasWords() {
        List<String> reasons = WasmMutants.crashing(MUTANTS).stream().map(mutant -> catchThrowable(
                () -> GuestModule.of("mutant.wasm", mutant)).getMessage()).toList();

        assertThat(reasons).isNotEmpty().allSatisfy(reason -> assertThat(reason)
                .startsWith("mutant.wasm: not a valid Wasm module: ")
                .doesNotContain("Exception", "out of bounds for length", "Cannot invoke", "java."));
        System.out.println("InvalidModuleTest: " + reasons.stream().filter(r -> !r.endsWith(WasmStructure.UNEXPLAINED))
                .count() + " of " + reasons.size() + " parser crashes explained in Wasm terms; for example: "
                + reasons.get(0));
    }

    @Test
    void everyMutantLoadsOrIsNotAValidModuleAndNothingElseEscapes() {
        int invalid = 0;
        for (int i = 0; i < MUTANTS.size(); i++) {
            String name = "mutant-" + i + ".wasm";
            byte[] mutant = MUTANTS.get(i);
            Throwable thrown = catchThrowable(() -> {
                PluginTemplate template = PluginTemplate.builder(GuestModule.of(name, mutant))
                        .withMockHost(HOST).withExecution(Execution.INTERPRETER).build();
                try (GuestPlugin plugin = template.instantiate()) {
                    plugin.call("onEmail", "{}".getBytes());
                }
            });
            if (thrown instanceof GuestLoadException && thrown.getMessage().startsWith(name + ": not a valid Wasm module: ")) {
                invalid++;
            } else if (thrown != null) {
                assertThat(thrown).as(name).isInstanceOfAny(GuestLoadException.class, GuestCallException.class)
                        .hasMessageContaining(name);
            }
        }
        assertThat(invalid).isGreaterThan(MUTANTS.size() / 2);
    }
}

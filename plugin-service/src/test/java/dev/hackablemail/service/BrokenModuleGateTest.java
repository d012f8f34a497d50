package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.hackablemail.runner.guest.InitializationTest;
import dev.hackablemail.runner.guest.WasmMutants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that cannot even start: damaged bytes, and a Wasm start function that never
 * returns. Each is a 422 naming the problem, within the limits, and frees the guest's
 * busy flag so that the next push is checked.
 */
class BrokenModuleGateTest {

    @TempDir
    Path dir;

    private static String simulations() {
        Path home = TestModules.HOME;
        return "  simulations:\n"
                + "    - name: email\n"
                + "      with: " + home.resolve("simulations/dist/test.wasm") + "\n"
                + "      mock_host: " + home.resolve("mock-host/dist/host.wasm") + "\n"
                + "      run_timeout: 3s\n";
    }

    @Test
    void aStartFunctionThatNeverReturnsIsRejectedWithinTheLimitAndTheNextPushIsChecked() throws Exception {
        try (Fixture fx = new Fixture(dir, "plugin_timeout: 300ms\n", simulations(), null)) {
            String token = fx.signUp("mallory@example.com");
            byte[] looping = Wat2Wasm.parse(InitializationTest.LOOPING_START);

            long start = System.nanoTime();
            Fixture.Answer a = fx.push(token, looping);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(a.status()).isEqualTo(422);
            assertThat(a.json().path("reasons").toString())
                    .contains("plugin.wasm: did not finish initializing within 300 ms (time limit)");
            assertThat(millis).isLessThan(20_000);
            assertThat(Files.exists(fx.pluginFile("mallory@example.com"))).isFalse();
            assertThat(fx.push(token, TestModules.example()).status()).as("busy flag released").isEqualTo(201);
        }
    }

    @Test
    void modulesThatCrashChicorysParserAreRejectedAsNotValidModules() throws Exception {
        List<byte[]> crashing = WasmMutants.crashing(WasmMutants.ofExamplePlugin(TestModules.HOME));
        assertThat(crashing).isNotEmpty();
        try (Fixture fx = new Fixture(dir, "", simulations(), null)) {
            String token = fx.signUp("mallory@example.com");
            for (byte[] mutant : crashing) {
                Fixture.Answer a = fx.push(token, mutant);
                assertThat(a.status()).isEqualTo(422);
                assertThat(a.json().path("reasons").toString())
                        .contains("schema check: plugin.wasm: not a valid Wasm module: ")
                        .doesNotContain("cannot be read").doesNotContain("Exception").doesNotContain("java.")
                        .doesNotContain("out of bounds for length");
            }
        }
    }
}

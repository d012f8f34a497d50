package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin that never returns holds a push slot only as long as the limits allow, then is rejected. */
class HostilePluginTest {

    @TempDir
    Path dir;

    @Test
    void aPluginThatLoopsForeverIsStoppedByTheLimitsAndRejected() throws Exception {
        Path home = TestModules.HOME;
        String service = "  simulations:\n"
                + "    - name: email\n"
                + "      with: " + home.resolve("simulations/dist/test.wasm") + "\n"
                + "      mock_host: " + home.resolve("mock-host/dist/host.wasm") + "\n"
                + "      run_timeout: 3s\n";
        try (Fixture fx = new Fixture(dir, "plugin_timeout: 100ms\n", service, null)) {
            assertThat(fx.config.limits().timeout().toMillis()).isEqualTo(100);
            String token = fx.signUp("mallory@example.com");
            byte[] spin = Wat2Wasm.parse("(module (memory (export \"memory\") 1)"
                    + " (func (export \"onEmail\") (result i32) (loop $forever (br $forever)) (i32.const 0)))");

            long start = System.nanoTime();
            Fixture.Answer a = fx.push(token, spin);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(a.status()).isEqualTo(422);
            assertThat(a.json().path("reasons").toString()).containsIgnoringCase("time");
            assertThat(millis).as("bounded by run_timeout").isLessThan(20_000);
            assertThat(Files.exists(fx.pluginFile("mallory@example.com"))).isFalse();
        }
    }
}

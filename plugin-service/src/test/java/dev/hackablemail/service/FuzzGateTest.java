package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate fuzzes onEmail after the simulations: a plugin that passes them but traps on real
 * mail is rejected with the shrunk input in the reasons, a sound one is accepted.
 */
class FuzzGateTest {

    @TempDir
    Path dir;


    @Test
    void aPluginThatTrapsOnRealMailIsRejectedWithTheShrunkInput() throws Exception {
        try (Fixture fx = new Fixture(dir, Fixture.lenientSimulations(dir))) {
            String token = fx.signUp("alice@example.com");
            byte[] trap = TestModules.read(TestModules.HOME.resolve("fuzz-targets/dist/utf8-trap.wasm"));

            Fixture.Answer a = fx.push(token, trap);

            assertThat(a.status()).isEqualTo(422);
            assertThat(a.json().path("error").asText()).contains("was rejected by the server's checks");
            JsonNode fuzz = a.json().path("simulations").get(1);
            assertThat(fuzz.path("name").asText()).isEqualTo(FuzzGate.NAME);
            assertThat(fuzz.path("successful").asBoolean()).isFalse();
            assertThat(a.json().path("reasons").get(0).asText())
                    .startsWith("fuzz: no trap or error: plugin.wasm: onEmail trapped")
                    .contains("shrunk input (").contains("\"headers\":{\"");
            assertThat(Files.exists(fx.pluginFile("alice@example.com"))).isFalse();
        }
    }

    /**
     * The budget is the operator's: with one input (the seed's first, plain ASCII) the trap
     * on multi-byte UTF-8 is not reached, so the same plugin passes.
     */
    @Test
    void theFuzzBudgetComesFromTheServiceSection() throws Exception {
        try (Fixture fx = new Fixture(dir, Fixture.lenientSimulations(dir) + "  fuzz_runs: 1\n")) {
            String token = fx.signUp("alice@example.com");
            byte[] trap = TestModules.read(TestModules.HOME.resolve("fuzz-targets/dist/utf8-trap.wasm"));

            Fixture.Answer a = fx.push(token, trap);

            assertThat(a.status()).as(a.json().toString()).isEqualTo(201);
            assertThat(a.json().path("simulations").get(1).path("name").asText()).isEqualTo(FuzzGate.NAME);
        }
    }

    @Test
    void theExamplePluginPassesTheFuzzing() throws Exception {
        try (Fixture fx = new Fixture(dir, Fixture.lenientSimulations(dir))) {
            String token = fx.signUp("alice@example.com");

            Fixture.Answer a = fx.push(token, TestModules.example());

            assertThat(a.status()).as(a.json().toString()).isEqualTo(201);
            JsonNode fuzz = a.json().path("simulations").get(1);
            assertThat(fuzz.path("name").asText()).isEqualTo(FuzzGate.NAME);
            assertThat(fuzz.path("successful").asBoolean()).isTrue();
            assertThat(fuzz.path("passed").asInt()).isEqualTo(5);
        }
    }
}

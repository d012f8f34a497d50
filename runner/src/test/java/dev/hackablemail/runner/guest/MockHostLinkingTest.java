package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The repository's mock host (mock-host/dist/host.wasm) linked as extism:host/user: it
 * shares the plugin's kernel, answers by subject, and enforces the once-only contract.
 */
class MockHostLinkingTest {

    private static final GuestModule HOST = GuestModule.load(Path.of("../mock-host/dist/host.wasm"));

    private static PluginTemplate template() {
        return PluginTemplate.builder(Wat.module("deliver-twice.wat")).withMockHost(HOST).build();
    }

    private static byte[] email(String subject) {
        return ("{\"sender\":\"a@example.com\",\"receiver\":\"b@example.com\",\"headers\":{\"Subject\":\""
                + subject + "\"},\"body\":\"hi\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theMockHostAnswersFromTheSubject() {
        try (GuestPlugin plugin = template().instantiate()) {
            assertThat(plugin.call("once", email("simulation10"))).asString().isEqualTo("1");
            assertThat(plugin.call("once", email("simulation01"))).asString().isEqualTo("0");
            assertThat(plugin.call("once", email("anything else"))).asString().isEqualTo("0");
        }
    }

    @Test
    void aSecondDeliverInOneCallFailsThatCallWithTheHostsMessage() {
        try (GuestPlugin plugin = template().instantiate()) {
            assertThatThrownBy(() -> plugin.call("twice", email("hello")))
                    .isInstanceOfSatisfying(GuestCallException.class,
                            e -> assertThat(e.kind()).isEqualTo(GuestCallException.Kind.TRAP))
                    .hasMessageContaining("deliver");
        }
    }

    @Test
    void inputThatIsNotAnIncomingEmailFailsClearly() {
        try (GuestPlugin plugin = template().instantiate()) {
            assertThatThrownBy(() -> plugin.call("once", "{\"sender\":42}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(GuestCallException.class)
                    .hasMessageContaining("sender");
        }
    }

    @Test
    void aPluginImportingAHostFunctionNeedsAMockHost() {
        assertThatThrownBy(() -> PluginTemplate.builder(Wat.module("deliver-twice.wat")).build().instantiate())
                .isInstanceOf(GuestLoadException.class)
                .hasMessageContaining("imports extism:host/user.deliver, which needs a host function: give a mock host");
    }

    @Test
    void aMockHostMissingAnImportIsNamed() {
        GuestModule host = GuestModule.of("empty-host.wasm",
                com.dylibso.chicory.wabt.Wat2Wasm.parse("(module (func (export \"reply\") (param i64) (result i64) (local.get 0)))"));
        assertThatThrownBy(() -> PluginTemplate.builder(Wat.module("deliver-twice.wat")).withMockHost(host).build()
                        .instantiate())
                .isInstanceOf(GuestLoadException.class)
                .hasMessageContaining("the mock host empty-host.wasm does not export 'deliver' (it exports: reply)");
    }
}

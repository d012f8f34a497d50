package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hackablemail.runner.guest.Execution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {

    @TempDir
    Path dir;

    private ServiceConfig load(String yaml) throws Exception {
        Path file = dir.resolve("filter.yaml");
        Files.writeString(file, yaml);
        return ServiceConfig.load(file);
    }

    @Test
    void aYamlSyntaxErrorNamesTheLineAndColumnOnOneLine() {
        assertThatThrownBy(() -> load("store: [\n")).hasMessage(dir.resolve("filter.yaml")
                + ":2:1: not valid YAML: expected the node content, but found '<stream end>'");
    }

    @Test
    void defaultsListenOnLoopbackWithTheContractSimulation() {
        ServiceConfig c = ServiceConfig.defaults();
        assertThat(c.listenHost()).isEqualTo("127.0.0.1");
        assertThat(c.listenPort()).isEqualTo(8025);
        assertThat(c.maxUpload()).isEqualTo(16L << 20);
        assertThat(c.maxConcurrentPushes()).isEqualTo(2);
        assertThat(c.simulations()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("contract");
            assertThat(s.testModule()).isEqualTo(TestModules.HOME.resolve("simulations/dist/contract.wasm"));
            assertThat(s.mockHost()).isEqualTo(TestModules.HOME.resolve("mock-host/dist/host.wasm"));
        });
    }

    @Test
    void readsTheFiltersStoreAndLimitsIgnoresItsOtherKeysAndTakesItsOwnSection() throws Exception {
        Files.writeString(dir.resolve("input.json"), "{\"n\": 1}");
        ServiceConfig c = load("store: /srv/store\n"
                + "sendmail: /usr/sbin/sendmail -i\n"
                + "signup_address: it@example.com\n"
                + "some_future_filter_key: 1\n"
                + "plugin_timeout: 3s\n"
                + "execution: compiler\n"
                + "service:\n"
                + "  listen: '[::1]:9000'\n"
                + "  public_url: https://mail.example.com/push\n"
                + "  max_upload: 512KiB\n"
                + "  max_concurrent_pushes: 4\n"
                + "  keep_versions: 5\n"
                + "  fuzz_runs: 50\n"
                + "  fuzz_time: 500ms\n"
                + "  simulations:\n"
                + "    - name: one\n"
                + "      with: sims/one.wasm\n"
                + "      mock_host: /abs/host.wasm\n"
                + "      mock_input: plain text\n"
                + "      run_timeout: 30s\n"
                + "    - with: two.wasm\n"
                + "      mock_input: {file: input.json}\n");
        assertThat(c.store().folder()).isEqualTo(Path.of("/srv/store"));
        assertThat(c.limits().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.execution()).isEqualTo(Execution.COMPILER);
        assertThat(c.listenHost()).isEqualTo("::1");
        assertThat(c.listenPort()).isEqualTo(9000);
        assertThat(c.publicUrl()).isEqualTo("https://mail.example.com/push");
        assertThat(c.maxUpload()).isEqualTo(512 << 10);
        assertThat(c.maxConcurrentPushes()).isEqualTo(4);
        assertThat(c.keepVersions()).isEqualTo(5);
        assertThat(c.fuzz()).isEqualTo(new ServiceConfig.FuzzBudget(50, Duration.ofMillis(500)));
        assertThat(ServiceConfig.defaults().fuzz()).isEqualTo(ServiceConfig.DEFAULT_FUZZ);
        assertThat(c.simulations()).hasSize(2);
        ServiceConfig.SimulationConfig one = c.simulations().get(0);
        assertThat(one.testModule()).isEqualTo(dir.resolve("sims/one.wasm"));
        assertThat(one.mockHost()).isEqualTo(Path.of("/abs/host.wasm"));
        assertThat(new String(one.mockInput(), StandardCharsets.UTF_8)).isEqualTo("plain text");
        assertThat(one.runTimeout()).isEqualTo(Duration.ofSeconds(30));
        ServiceConfig.SimulationConfig two = c.simulations().get(1);
        assertThat(two.name()).isEqualTo("two.wasm");
        assertThat(two.mockHost()).isNull();
        assertThat(new String(two.mockInput(), StandardCharsets.UTF_8)).isEqualTo("{\"n\": 1}");
    }

    @Test
    void listenForms() {
        assertThat(ServiceConfig.parseListen("0.0.0.0:80", "t")).containsExactly("0.0.0.0", "80");
        assertThat(ServiceConfig.parseListen(":8025", "t")).containsExactly("127.0.0.1", "8025");
        assertThat(ServiceConfig.parseListen("localhost:0", "t")).containsExactly("localhost", "0");
        assertThatThrownBy(() -> ServiceConfig.parseListen("8025", "t")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> ServiceConfig.parseListen("a:99999", "t")).hasMessageContaining("out of range");
    }

    @Test
    void mistakesNameTheFileAndTheKey() {
        assertThatThrownBy(() -> load("service: 3\n")).hasMessageContaining("service must be a mapping");
        assertThatThrownBy(() -> load("service:\n  listne: 1:2\n")).hasMessageContaining("'service.listne'");
        assertThatThrownBy(() -> load("service:\n  public_url: mail.example.com\n"))
                .hasMessageContaining("service.public_url");
        assertThatThrownBy(() -> load("service:\n  max_upload: lots\n")).hasMessageContaining("service.max_upload");
        assertThatThrownBy(() -> load("service:\n  max_concurrent_pushes: 0\n"))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> load("service:\n  fuzz_runs: 0\n")).hasMessageContaining("service.fuzz_runs must be at least 1");
        assertThatThrownBy(() -> load("service:\n  fuzz_time: soon\n")).hasMessageContaining("service.fuzz_time");
        assertThatThrownBy(() -> load("service:\n  simulations: []\n")).hasMessageContaining("at least one");
        assertThatThrownBy(() -> load("service:\n  simulations:\n    - name: x\n"))
                .hasMessageContaining("'with' (the test module) is missing");
        assertThatThrownBy(() -> load("service:\n  simulations:\n    - {with: a.wasm, name: x}\n"
                + "    - {with: b.wasm, name: x}\n")).hasMessageContaining("a second simulation named 'x'");
        assertThatThrownBy(() -> load("service:\n  simulations:\n    - {with: a.wasm, mock_host_: b}\n"))
                .hasMessageContaining("unknown setting 'mock_host_'");
        assertThatThrownBy(() -> load("plugin_timeout: soon\n")).hasMessageContaining("plugin_timeout");
        assertThatThrownBy(() -> load("- a\n- b\n")).hasMessageContaining("expected a mapping");
    }

    @Test
    void theConsolesAdminsAndDaemonHealth() throws Exception {
        ServiceConfig none = load("");
        assertThat(none.console()).isEqualTo(ServiceConfig.ConsoleSettings.NONE);
        ServiceConfig some = load("service:\n  admins: [IT@example.com, ops@example.com]\n"
                + "  daemon_health: http://127.0.0.1:10027/health\n");
        assertThat(some.console().isAdmin("it@EXAMPLE.com")).isTrue();
        assertThat(some.console().isAdmin("alice@example.com")).isFalse();
        assertThat(some.console().daemonHealth()).isEqualTo("http://127.0.0.1:10027/health");
        assertThat(load("service:\n  admins: it@example.com\n").console().admins()).containsExactly("it@example.com");
        assertThatThrownBy(() -> load("service:\n  admins: [it]\n"))
                .hasMessageContaining("service.admins: 'it' is not a mail address");
        assertThatThrownBy(() -> load("service:\n  admins: [{a: b}]\n")).hasMessageContaining("service.admins");
        assertThatThrownBy(() -> load("service:\n  daemon_health: 127.0.0.1:10027\n"))
                .hasMessageContaining("service.daemon_health: '127.0.0.1:10027' is not an http(s) URL");
    }

    @Test
    void theDefaultFileIsTheFilters() {
        assertThat(ServiceConfig.DEFAULT_FILE).isEqualTo(dev.hackablemail.filter.FilterConfig.DEFAULT_FILE);
    }
}

package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hackablemail.store.GuestStore;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gate with its default simulation, the contract: plugins with logic of their own
 * (test-plugins/, built from source) are accepted when they honour the contract and rejected
 * with a reason naming the check when they break it; authors' own simulations; the server's
 * checks served for running them locally.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractGateTest {

    @TempDir
    static Path dir;

    Fixture fx;
    String guest;
    String token;
    int guests;

    @BeforeAll
    void start() throws Exception {
        // the default simulations (no service.simulations); calls bounded at 1 s so the loop costs little
        fx = new Fixture(dir, "plugin_timeout: 1s\n", "", null);
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    @BeforeEach
    void newGuest() throws Exception {
        guest = "guest" + ++guests + "@example.com";
        token = fx.signUp(guest);
    }

    private Fixture.Run clientPush(Path plugin, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("push", plugin.toString(), "--server", fx.url(),
                "--token", token));
        args.addAll(List.of(more));
        return Fixture.client(args.toArray(new String[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vacation", "sender-bouncer", "pass-through", "dropper", "ignore-reply"})
    void aPluginWithLogicOfItsOwnThatHonoursTheContractIsAcceptedByBothClients(String name) throws Exception {
        Path plugin = TestModules.testPluginFile("accepted/" + name);

        Fixture.Run push = clientPush(plugin);
        assertThat(push.exit()).as(push.out() + push.err()).isZero();
        assertThat(push.out()).contains("accepted: version 1 of " + guest + "'s plugin is active")
                .contains("contract simulation: ").contains("fuzz: ").contains(" passed, 0 failed");
        assertThat(Files.readAllBytes(fx.pluginFile(guest))).isEqualTo(Files.readAllBytes(plugin));

        String other = "admin-" + guest;
        Fixture.Run admin = Fixture.admin("plugin", "push", "--config", fx.configFile.toString(), "--guest", other,
                plugin.toString());
        assertThat(admin.exit()).as(admin.out() + admin.err()).isZero();
        assertThat(admin.out()).contains("accepted: version 1 of " + other + "'s plugin is active");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rejected/deliver-twice      | contract simulation: Deliver and reply succeed: deliver is called at most once: deliver was called 2 times",
        "rejected/reply-twice        | contract simulation: Deliver and reply succeed: reply is called at most once: reply was called 2 times",
        "rejected/hide-failure       | contract simulation: Deliver fails: no silent loss: deliver answered 1",
        "rejected/loop               | contract simulation: Deliver and reply succeed: call onEmail: loop.wasm: ",
        "rejected/undeclared-import  | schema check: undeclared-import.wasm imports extism:host/user.forward, which schema on-email.yaml does not declare",
        "rejected/trap-on-empty-body | contract simulation: Empty body, deliver fails: call onEmail: trap-on-empty-body.wasm: onEmail trapped",
    })
    void aPluginThatBreaksTheContractIsRejectedWithTheCheckInEachReason(String name, String reason) throws Exception {
        Path plugin = TestModules.testPluginFile(name);

        Fixture.Run push = clientPush(plugin);

        assertThat(push.exit()).as(push.out() + push.err()).isEqualTo(1);
        assertThat(push.out()).startsWith("rejected: ").contains("the plugin was rejected by the server's")
                .contains("xtp-sim plugin checks").contains("  - " + reason);
        assertThat(Files.exists(fx.pluginFile(guest))).isFalse();
    }

    @Test
    void aFileThatIsNoWasmModuleIsRejectedByTheSchemaCheckUnderItsName() throws Exception {
        Path notes = fx.file("notes.wasm", "# my plugin, soon\n".getBytes(StandardCharsets.UTF_8));

        Fixture.Run push = clientPush(notes);

        assertThat(push.exit()).isEqualTo(1);
        assertThat(push.out()).contains("rejected by the server's schema check")
                .contains("  - schema check: notes.wasm: not a valid Wasm module");
    }

    @Test
    void fuzzReasonsNameThePushedFile() throws Exception {
        // the contract's mails do not reach its defect (a quote in the subject breaks its reply's JSON); the fuzzing does
        Path plugin = fx.file("my-filter.wasm", TestModules.read(TestModules.HOME.resolve(
                "fuzz-targets/dist/raw-reply.wasm")));

        Fixture.Run push = clientPush(plugin);

        assertThat(push.exit()).as(push.out()).isEqualTo(1);
        assertThat(push.out()).contains("  - fuzz: host payloads match the schema: my-filter.wasm: ")
                .doesNotContain("plugin.wasm");
    }

    @Test
    void theExamplePluginPassesTheContractAndItsOwnSimulation(@TempDir Path other) throws Exception {
        try (Fixture both = new Fixture(other, Fixture.contractAndExample())) {
            String t = both.signUp("alice@example.com");
            Fixture.Answer a = both.push(t, TestModules.example());

            assertThat(a.status()).as(a.json().toString()).isEqualTo(201);
            JsonNode sims = a.json().path("simulations");
            assertThat(sims.get(0).path("name").asText()).isEqualTo("contract");
            assertThat(sims.get(0).path("successful").asBoolean()).isTrue();
            assertThat(sims.get(1).path("name").asText()).isEqualTo("example");
            assertThat(sims.get(1).path("passed").asInt()).isEqualTo(66);
            assertThat(sims.get(1).path("failed").asInt()).isZero();

            List<Path> mutants;
            try (var files = Files.list(TestModules.HOME.resolve("example-plugin/dist/broken"))) {
                mutants = files.filter(f -> f.toString().endsWith(".wasm")).sorted().toList();
            }
            assertThat(mutants).hasSizeGreaterThanOrEqualTo(3);
            for (Path mutant : mutants) {
                Fixture.Answer m = both.push(t, Files.readAllBytes(mutant));
                assertThat(m.status()).as(mutant.toString()).isEqualTo(422);
                assertThat(m.json().path("reasons").toString()).as(mutant.toString())
                        .contains("server simulation example: ");
            }
        }
    }

    @Test
    void anAuthorsFailingSimulationRejectsThePushWithItsOwnAsserts() throws Exception {
        Path mine = fx.file("my-test.wasm", TestModules.read(TestModules.HOME.resolve("simulations/dist/test.wasm")));

        // the example's behavioural simulation as the author's own: a pass-through never replies
        Fixture.Run push = clientPush(TestModules.testPluginFile("accepted/pass-through"), "--simulation",
                mine.toString());

        assertThat(push.exit()).as(push.out() + push.err()).isEqualTo(1);
        assertThat(push.out()).contains("rejected by your own simulations").contains("contract simulation: ")
                .contains("your simulation my-test.wasm: ")
                .contains("  - your simulation my-test.wasm: Project XYZ in Subject, Deliver succeeding and Reply "
                        + "failing: onEmail returns 1: expected return code 1");
        assertThat(Files.exists(fx.pluginFile(guest))).isFalse();
    }

    @Test
    void anAuthorsSimulationsRunOnlyOnceTheServersChecksPassed() throws Exception {
        Path mine = fx.file("my-test.wasm", TestModules.read(TestModules.HOME.resolve("simulations/dist/test.wasm")));

        Fixture.Run push = clientPush(TestModules.testPluginFile("rejected/hide-failure"), "--simulation",
                mine.toString());

        assertThat(push.exit()).isEqualTo(1);
        assertThat(push.out()).contains("rejected by the server's checks").contains("  - contract simulation: ")
                .doesNotContain("your simulation");
    }

    @Test
    void anAuthorsPassingSimulationIsKeptWithTheVersionAndRunAgainOnRollback() throws Exception {
        Path mine = fx.file("my-test.wasm", TestModules.read(TestModules.HOME.resolve("simulations/dist/test.wasm")));
        Path host = fx.file("my-host.wasm", TestModules.read(TestModules.HOME.resolve("mock-host/dist/host.wasm")));
        Path example = fx.file("example.wasm", TestModules.example());

        Fixture.Run first = clientPush(example, "--simulation", mine.toString(), "--mock-host", host.toString());
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("your simulation my-test.wasm: 66 passed, 0 failed");
        try (GuestStore store = fx.config.store().open(false)) {
            assertThat(store.attachments(guest, 1)).extracting(GuestStore.Attachment::name, GuestStore.Attachment::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("my-host.wasm", "mock-host"),
                            org.assertj.core.groups.Tuple.tuple("my-test.wasm", "simulation"));
        }

        assertThat(clientPush(TestModules.testPluginFile("accepted/pass-through")).exit()).isZero();

        Fixture.Answer back = fx.rollback(token, 1);
        assertThat(back.status()).as(back.json().toString()).isEqualTo(200);
        JsonNode author = back.json().path("simulations").get(2);
        assertThat(author.path("kind").asText()).isEqualTo("author");
        assertThat(author.path("name").asText()).isEqualTo("my-test.wasm");
        assertThat(author.path("passed").asInt()).as("run again at the rollback").isEqualTo(66);
        assertThat(Files.readAllBytes(fx.pluginFile(guest))).isEqualTo(TestModules.example());
    }

    @Test
    void theServersChecksAreServedAndRunLocallyWithTheSameVerdict(@TempDir Path local) throws Exception {
        Fixture.Answer manifest = fx.request("GET", "/api/v1/checks", null, null);
        assertThat(manifest.status()).isEqualTo(200);
        assertThat(manifest.json().path("files").toString())
                .isEqualTo("[\"on-email.yaml\",\"contract.wasm\",\"contract-host.wasm\"]");

        Path into = local.resolve("checks");
        Fixture.Run good = Fixture.client("checks", "--server", fx.url(), "--into", into.toString(),
                TestModules.testPluginFile("accepted/vacation").toString());
        assertThat(good.exit()).as(good.out() + good.err()).isZero();
        assertThat(good.out()).contains("the server's checks pass: push it with `xtp-sim plugin push "
                + TestModules.testPluginFile("accepted/vacation") + " --server " + fx.url() + "`");
        assertThat(Files.readAllBytes(into.resolve("contract.wasm")))
                .isEqualTo(TestModules.read(TestModules.HOME.resolve("simulations/dist/contract.wasm")));
        assertThat(Files.readAllBytes(into.resolve("contract-host.wasm")))
                .isEqualTo(TestModules.read(TestModules.HOME.resolve("mock-host/dist/host.wasm")));

        Fixture.Run bad = Fixture.client("checks", "--server", fx.url(), "--into", into.toString(),
                TestModules.testPluginFile("rejected/hide-failure").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("no silent loss").contains("a push would be rejected");

        assertThat(fx.request("GET", "/api/v1/checks/secret.txt", null, null).status()).isEqualTo(404);
    }

    @Test
    void pluginInitTakesTheSchemaTheServersChecksUse(@TempDir Path project) throws Exception {
        Fixture.Run init = Fixture.client("init", "--server", fx.url(), "--template", "c", "--name", "vacation",
                "--path", project.toString());

        assertThat(init.exit()).as(init.out() + init.err()).isZero();
        assertThat(project.resolve("src/pdk.h")).content().contains("struct IncomingEmail {")
                .contains("ReplyEmail");
        // the server's contract simulation and its mock host, saved into the project and listed as a [[test]]
        assertThat(Files.readAllBytes(project.resolve("server-checks/contract.wasm")))
                .isEqualTo(TestModules.read(TestModules.HOME.resolve("simulations/dist/contract.wasm")));
        assertThat(Files.readAllBytes(project.resolve("server-checks/contract-host.wasm")))
                .isEqualTo(TestModules.read(TestModules.HOME.resolve("mock-host/dist/host.wasm")));
        assertThat(project.resolve("xtp.toml")).content().contains("[[test]]\nname = \"server contract\"\n"
                + "with = \"server-checks/contract.wasm\"\nmock_host = \"server-checks/contract-host.wasm\"\n");
    }

    @Test
    void aMultipartPushWithoutAPluginOrWithUnknownPartsIsABadRequest() throws Exception {
        byte[] plugin = TestModules.testPlugin("accepted/pass-through");

        assertThat(multipart(List.<String[]>of(new String[] {"simulation", "t.wasm"}), List.of(plugin)))
                .satisfies(a -> assertThat(a.json().path("error").asText()).contains("no part named plugin"))
                .extracting(Fixture.Answer::status).isEqualTo(400);
        assertThat(multipart(List.of(new String[] {"plugin", "p.wasm"}, new String[] {"extra", "x.wasm"}),
                List.of(plugin, plugin)))
                .satisfies(a -> assertThat(a.json().path("error").asText()).contains("unknown part 'extra'"))
                .extracting(Fixture.Answer::status).isEqualTo(400);
        assertThat(multipart(List.of(new String[] {"plugin", "p.wasm"}, new String[] {"cases", "a.cases.yaml"}),
                List.of(plugin, "cases: []\n".getBytes(StandardCharsets.UTF_8))))
                .as("cases are taken and run: an empty list is a reason, not a bad request")
                .satisfies(a -> assertThat(a.json().path("reasons").toString())
                        .contains("your cases a.cases.yaml: a.cases.yaml:1: 'cases' is empty"))
                .extracting(Fixture.Answer::status).isEqualTo(422);
        assertThat(multipart(List.<String[]>of(new String[] {"plugin", "../p.wasm"}), List.of(plugin)).status())
                .as("a file name that is a path is named plugin.wasm, not refused").isEqualTo(201);
        assertThat(Files.exists(fx.pluginFile(guest))).isTrue();
    }

    /** POSTs a multipart push with the parts {name, file name} and their bytes. */
    private Fixture.Answer multipart(List<String[]> parts, List<byte[]> contents) throws Exception {
        String boundary = "test-boundary-1234";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + parts.get(i)[0]
                    + "\"; filename=\"" + parts.get(i)[1] + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(contents.get(i));
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = fx.http.send(HttpRequest.newBuilder(URI.create(fx.url() + "/api/v1/plugin"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Fixture.Answer(r.statusCode(), Fixture.JSON.readTree(r.body()), java.util.Map.of());
    }
}

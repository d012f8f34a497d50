package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hackablemail.store.FolderStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollbacks and the atomic switch, with a configured simulation set: a test module that
 * always passes (so two plugins that behave differently can both be pushed), and a set that
 * holds a failing simulation besides the email one.
 */
class RollbackAndRaceTest {

    @TempDir
    Path dir;


    @Test
    void rollbackRestoresTheEarlierBehaviour() throws Exception {
        try (Fixture fx = new Fixture(dir, Fixture.lenientSimulations(dir))) {
            String alice = "alice@example.com";
            String token = fx.signUp(alice);
            Fixture.Mail mail = fx.new Mail();

            assertThat(fx.push(token, TestModules.example()).status()).isEqualTo(201);
            mail.deliver("a1@example.org", alice, "Project XYZ", "?");
            assertThat(mail.submissions).as("version 1 (the example plugin) delivers and replies").hasSize(2);

            assertThat(fx.push(token, TestModules.deliverOnly()).status()).isEqualTo(201);
            mail.deliver("a2@example.org", alice, "Project XYZ", "?");
            assertThat(mail.submissions).as("version 2 only delivers").hasSize(3);

            Fixture.Answer back = fx.rollback(token, 1);
            assertThat(back.status()).isEqualTo(200);
            assertThat(back.json().path("version").asInt()).isEqualTo(1);
            assertThat(back.json().path("simulations").get(0).path("name").asText())
                    .as("a rollback passes today's simulations first").isEqualTo("smoke");
            assertThat(Files.readAllBytes(fx.pluginFile(alice))).isEqualTo(TestModules.example());
            mail.deliver("a3@example.org", alice, "Project XYZ", "?");
            assertThat(mail.submissions).as("version 1 again: it replies").hasSize(5);
            assertThat(fx.list(token).json().path("active").asInt()).isEqualTo(1);

            Fixture.Answer same = fx.rollback(token, 1);
            assertThat(same.status()).isEqualTo(200);
            assertThat(same.json().path("unchanged").asBoolean()).isTrue();

            assertThat(fx.rollback(token, 2).status()).isEqualTo(200);
            mail.deliver("a4@example.org", alice, "Project XYZ", "?");
            assertThat(mail.submissions).hasSize(6);

            List<String> history = Files.readAllLines(fx.pluginFile(alice).resolveSibling("versions")
                    .resolve("history.jsonl"));
            assertThat(history).hasSize(4).allSatisfy(l -> assertThat(l).contains("\"result\":\"accepted\""));
            assertThat(history.get(2)).contains("\"action\":\"rollback\"").contains("\"version\":1");
        }
    }

    @Test
    void everyConfiguredSimulationRunsAndAFailingOneRejects() throws Exception {
        Files.write(dir.resolve("fail.wasm"), TestModules.testModuleReturning(3));
        Path home = TestModules.HOME;
        String service = "  simulations:\n"
                + "    - name: email\n"
                + "      with: " + home.resolve("simulations/dist/test.wasm") + "\n"
                + "      mock_host: " + home.resolve("mock-host/dist/host.wasm") + "\n"
                + "    - name: strict\n"
                + "      with: fail.wasm\n"
                + "      mock_host: " + home.resolve("mock-host/dist/host.wasm") + "\n";
        try (Fixture fx = new Fixture(dir, service)) {
            String token = fx.signUp("alice@example.com");
            Fixture.Answer a = fx.push(token, TestModules.example());

            assertThat(a.status()).isEqualTo(422);
            assertThat(a.json().path("simulations")).hasSize(2);
            assertThat(a.json().path("simulations").get(0).path("successful").asBoolean()).isTrue();
            assertThat(a.json().path("simulations").get(1).path("successful").asBoolean()).isFalse();
            assertThat(a.json().path("reasons").toString()).contains("server simulation strict: the test module returned 3");
            assertThat(Files.exists(fx.pluginFile("alice@example.com"))).isFalse();
        }
    }

    @Test
    void pushesAndRollbacksRacingWithDeliveriesNeverExposeAHalfWrittenPlugin() throws Exception {
        try (Fixture fx = new Fixture(dir, Fixture.lenientSimulations(dir) + "  max_concurrent_pushes: 4\n")) {
            String alice = "alice@example.com";
            String token = fx.signUp(alice);
            byte[] one = TestModules.example();
            byte[] two = TestModules.deliverOnly();
            assertThat(fx.push(token, one).status()).isEqualTo(201);
            assertThat(fx.push(token, two).status()).isEqualTo(201);
            List<byte[]> versions = new ArrayList<>(List.of(one, two));
            for (int i = 0; i < 4; i++) {
                versions.add(TestModules.variant(i % 2 == 0 ? one : two, i));
            }

            Path plugin = fx.pluginFile(alice);
            FolderStore store = new FolderStore(fx.store);
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            AtomicReference<String> torn = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                while (!done.get() && torn.get() == null) {
                    try {
                        byte[] seen = reads.get() % 2 == 0 ? Files.readAllBytes(plugin)
                                : store.activePlugin(alice).orElseThrow();
                        if (versions.stream().noneMatch(v -> Arrays.equals(v, seen))) {
                            torn.set("read " + seen.length + " bytes matching no version");
                        }
                        reads.incrementAndGet();
                    } catch (Exception e) {
                        torn.set(e.toString());
                    }
                }
            }, "delivery");
            reader.start();
            try {
                int pushed = 2;
                for (int round = 0; round < 12; round++) {
                    Fixture.Answer a;
                    if (round % 3 == 2 && pushed < versions.size()) {
                        a = fx.push(token, versions.get(pushed++));
                        assertThat(a.status()).isEqualTo(201);
                    } else {
                        a = fx.rollback(token, 1 + round % 2);
                        assertThat(a.status()).isEqualTo(200);
                    }
                }
            } finally {
                done.set(true);
                reader.join();
            }
            assertThat(torn.get()).isNull();
            assertThat(reads.get()).as("the reader ran alongside").isGreaterThan(50);
            try (var files = Files.list(plugin.getParent())) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
            }
        }
    }

    @Test
    void oldVersionsArePrunedButTheActiveOneIsKept() throws Exception {
        try (Fixture fx = new Fixture(dir, Fixture.lenientSimulations(dir) + "  keep_versions: 2\n")) {
            String token = fx.signUp("alice@example.com");
            for (int i = 0; i < 4; i++) {
                assertThat(fx.push(token, TestModules.variant(TestModules.deliverOnly(), i)).status()).isEqualTo(201);
            }
            assertThat(fx.list(token).json().path("versions").findValuesAsText("version"))
                    .containsExactly("3", "4");
            assertThat(fx.rollback(token, 3).status()).isEqualTo(200);
            Fixture.Answer fifth = fx.push(token, TestModules.variant(TestModules.deliverOnly(), 9));
            assertThat(fifth.json().path("version").asInt()).as("numbers only grow").isEqualTo(5);
            assertThat(fx.list(token).json().path("versions").findValuesAsText("version"))
                    .containsExactly("4", "5");
        }
    }
}

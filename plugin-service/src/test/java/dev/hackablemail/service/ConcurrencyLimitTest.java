package dev.hackablemail.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** max_concurrent_pushes: a push over the limit is answered 429 at once, not queued. */
class ConcurrencyLimitTest {

    @TempDir
    Path dir;

    @Test
    void pushesOverTheLimitGet429AndTheHeldOnesFinish() throws Exception {
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try (Fixture fx = new Fixture(dir, "  max_concurrent_pushes: 2\n", real -> wasm -> {
            inside.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.check(wasm);
        })) {
            String alice = fx.signUp("alice@example.com");
            String bob = fx.signUp("bob@example.com");
            String carol = fx.signUp("carol@example.com");
            CompletableFuture<Fixture.Answer> first = CompletableFuture.supplyAsync(
                    () -> fx.push(alice, TestModules.example()));
            CompletableFuture<Fixture.Answer> second = CompletableFuture.supplyAsync(
                    () -> fx.push(bob, TestModules.example()));
            assertThat(inside.await(30, TimeUnit.SECONDS)).as("two pushes are being checked").isTrue();

            Fixture.Answer third = fx.push(carol, TestModules.example());
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.header("Retry-After")).isEqualTo("5");
            assertThat(third.json().path("error").asText()).contains("max_concurrent_pushes");
            assertThat(fx.rollback(carol, 1).status()).as("a rollback runs the gate too").isEqualTo(429);
            Fixture.Run client = Fixture.client("push", fx.file("p.wasm", TestModules.example()).toString(),
                    "--server", fx.url(), "--token", carol);
            assertThat(client.exit()).isEqualTo(2);
            assertThat(client.err()).contains("HTTP 429");
            assertThat(fx.list(carol).status()).as("listing is not limited").isEqualTo(200);
            Fixture.Answer twice = fx.push(alice, TestModules.deliverOnly());
            assertThat(twice.status()).as("one push at a time per guest").isEqualTo(429);
            assertThat(twice.json().path("error").asText()).contains("is being checked");

            release.countDown();
            assertThat(first.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
            assertThat(second.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
            assertThat(fx.push(carol, TestModules.example()).status()).as("a slot is free again").isEqualTo(201);
            assertThat(Files.readAllBytes(fx.pluginFile("carol@example.com"))).isEqualTo(TestModules.example());
        }
    }
}

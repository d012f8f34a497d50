package dev.hackablemail.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store layout, the signup token and the reply ledger under concurrency. */
class GuestStoreTest {

    @TempDir
    Path tmp;

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void theLayout() throws IOException {
        GuestStore store = new GuestStore(tmp);
        assertThat(GuestStore.guestKey("Bob@Example.com")).isEqualTo("626f62406578616d706c652e636f6d");
        assertThat(GuestStore.guestKey("jürgen@x")).isEqualTo("6ac3bc7267656e4078");
        assertThat(store.pluginFile("BOB@example.com")).isEqualTo(tmp.resolve("626f62406578616d706c652e636f6d/plugin.wasm"));
        assertThat(store.readPlugin("bob@example.com")).isEmpty();
        Files.createDirectories(store.guestDir("bob@example.com"));
        Files.write(store.pluginFile("bob@example.com"), new byte[] {0, 'a', 's', 'm'});
        assertThat(store.readPlugin("BOB@EXAMPLE.COM")).get().isEqualTo(new byte[] {0, 'a', 's', 'm'});
    }

    @Test
    void aMissingStoreIsAnErrorNotAbsence() {
        GuestStore store = new GuestStore(tmp.resolve("missing"));
        assertThatThrownBy(() -> store.readPlugin("bob@example.com")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("plugin store folder is missing");
    }

    @Test
    void registrationStoresOnlyTheTokensHash() throws IOException {
        GuestStore store = new GuestStore(tmp);
        store.register("alice@example.org", "secret-token", T0);
        Path dir = store.guestDir("alice@example.org");
        assertThat(Files.readString(dir.resolve(GuestStore.TOKEN_FILE)).trim())
                .isEqualTo(GuestStore.sha256Hex("secret-token")).hasSize(64).doesNotContain("secret");
        assertThat(store.guest("alice@example.org").get().get("address").asText()).isEqualTo("alice@example.org");
        assertThat(store.guest("alice@example.org").get().get("registered").asText()).isEqualTo(T0.toString());
        assertThat(store.tokenMatches("alice@example.org", "secret-token")).isTrue();
        assertThat(store.tokenMatches("alice@example.org", "other")).isFalse();

        store.register("alice@example.org", "second-token", T0.plusSeconds(60));
        assertThat(store.tokenMatches("alice@example.org", "secret-token")).isFalse();
        assertThat(store.guest("alice@example.org").get().get("registered").asText()).isEqualTo(T0.toString());
        assertThat(store.guest("alice@example.org").get().get("invited").asText())
                .isEqualTo(T0.plusSeconds(60).toString());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp"));
        }
    }

    @Test
    void theLedgerRemembersWithinThePeriodAndForgetsAfter() throws IOException {
        GuestStore store = new GuestStore(tmp);
        Duration day = Duration.ofDays(1);
        try (GuestStore.Reservation r = store.reserve("bob@x", GuestStore.Ledger.REPLIES, "alice@y", day, T0)) {
            assertThat(r.lastWithin()).isEmpty();
            r.record();
        }
        try (GuestStore.Reservation r = store.reserve("bob@x", GuestStore.Ledger.REPLIES, "ALICE@y", day,
                T0.plusSeconds(3600))) {
            assertThat(r.lastWithin()).hasValue(T0);
        }
        try (GuestStore.Reservation r = store.reserve("bob@x", GuestStore.Ledger.REPLIES, "carol@y", day,
                T0.plusSeconds(7200))) {
            assertThat(r.lastWithin()).isEmpty();
            r.record();
        }
        try (GuestStore.Reservation r = store.reserve("bob@x", GuestStore.Ledger.REPLIES, "alice@y", day,
                T0.plus(day).plusSeconds(1))) {
            assertThat(r.lastWithin()).isEmpty();
            r.record(); // drops nothing younger than a day: carol stays
        }
        String ledger = Files.readString(store.guestDir("bob@x").resolve("replies.log"));
        assertThat(ledger.lines()).hasSize(2);
    }

    @Test
    void concurrentThreadsReplyOnce() throws Exception {
        GuestStore store = new GuestStore(tmp);
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            futures.add(pool.submit((Callable<Void>) () -> {
                try (GuestStore.Reservation r = store.reserve("bob@x", GuestStore.Ledger.REPLIES, "alice@y",
                        Duration.ofDays(1), Instant.now())) {
                    if (r.lastWithin().isEmpty()) {
                        sent.incrementAndGet();
                        Thread.sleep(5);
                        r.record();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(sent).hasValue(1);
    }

    /** Several JVMs, as concurrent Postfix deliveries are: the file lock makes exactly one of them reply. */
    @Test
    void concurrentProcessesReplyOnce() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LedgerClient.class.getName(), tmp.toString()).redirectErrorStream(true).start());
        }
        int sent = 0;
        for (Process p : processes) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(p.exitValue()).as(out).isZero();
            sent += Integer.parseInt(out);
        }
        assertThat(sent).isEqualTo(1);
    }

    /** One process of {@link #concurrentProcessesReplyOnce}: tries 20 times, prints how often it "sent". */
    public static final class LedgerClient {
        public static void main(String[] args) throws Exception {
            GuestStore store = new GuestStore(Path.of(args[0]));
            int sent = 0;
            for (int i = 0; i < 20; i++) {
                try (GuestStore.Reservation r = store.reserve("bob@x", GuestStore.Ledger.REPLIES, "alice@y",
                        Duration.ofDays(1), Instant.now())) {
                    if (r.lastWithin().isEmpty()) {
                        sent++;
                        Thread.sleep(20);
                        r.record();
                    }
                }
            }
            System.out.println(sent);
        }
    }
}

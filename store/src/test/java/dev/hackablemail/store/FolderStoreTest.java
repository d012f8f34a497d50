package dev.hackablemail.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FolderStoreTest extends GuestStoreContract {

    @Override
    GuestStore newStore(Path tmp) throws Exception {
        Path root = tmp.resolve("store");
        Files.createDirectories(root);
        return new FolderStore(root);
    }

    @Test
    void aLedgerLockHeldElsewhereFailsTheClaimAfterTheTimeout() throws Exception {
        FolderStore impatient = new FolderStore(((FolderStore) store).root(), Duration.ofMillis(500));
        Path ledger = impatient.guestDir(GUEST).resolve(GuestStore.Ledger.REPLIES.id() + ".log");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (FileLocks.Held lock = FileLocks.lock(ledger)) {
                held.countDown();
                release.await();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        holder.start();
        held.await();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.claim(GUEST, GuestStore.Ledger.REPLIES, "x@example.com",
                    Duration.ofDays(1), T0)).isInstanceOf(IOException.class)
                    .hasMessage(ledger + " stayed locked by another delivery or process for 500 ms (store_timeout)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(450), Duration.ofSeconds(3));
        } finally {
            release.countDown();
            holder.join();
        }
        assertThat(impatient.claim(GUEST, GuestStore.Ledger.REPLIES, "x@example.com", Duration.ofDays(1), T0).granted())
                .as("free again").isTrue();
    }

    @Test
    void aStoreWrittenBeforeLongKeysIsStillRead() throws Exception {
        // the layout of every existing store: the hex of the address, plugin.wasm in it
        Path dir = tmp.resolve("store").resolve("616c696365406578616d706c652e636f6d"); // alice@example.com
        Files.createDirectories(dir);
        Files.write(dir.resolve("plugin.wasm"), wasm("old"));

        assertThat(store.activePlugin("alice@example.com")).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("old")));
        assertThat(store.active("alice@example.com").version()).isNull();
    }

    @Test
    void everyKeyIsAFileName() throws Exception {
        String longest = "a".repeat(64) + "@" + "b".repeat(189) + ".x";
        store.push(longest, wasm("x"), T0, "guest", SIMS, 20);

        assertThat(GuestKeys.of(longest).length()).isLessThan(255);
        assertThat(store.activePlugin(longest)).isPresent();
    }

    /**
     * An unchanged plugin file is read once (the same bytes come back); a file renamed over
     * it is another file even with the same size and modification time.
     */
    @Test
    void anUnchangedPluginIsReadOnceAndAReplacedOneAgain() throws Exception {
        store.push(GUEST, wasm("one"), T0, "guest", SIMS, 20);
        Path file = tmp.resolve("store").resolve(GuestKeys.of(GUEST)).resolve("plugin.wasm");
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        Files.setLastModifiedTime(file, old);
        settle();
        byte[] first = store.activePlugin(GUEST).orElseThrow();
        assertThat(first).isEqualTo(wasm("one"));
        assertThat(store.activePlugin(GUEST).orElseThrow()).isSameAs(first);

        store.push(GUEST, wasm("two"), T0, "guest", SIMS, 20);
        Files.setLastModifiedTime(file, old);
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("two")));

        assertThat(store.activate(GUEST, 1, Digests.sha256Hex(wasm("one")))).isTrue();
        Files.setLastModifiedTime(file, old);
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));

        store.deactivate(GUEST);
        assertThat(store.activePlugin(GUEST)).isEmpty();
    }

    /** A file read right after it was written is not kept: a write in place may not change its time (coarse clocks). */
    @Test
    void aPluginWrittenJustNowIsReadAgainEvenWithTheSameSizeAndTime() throws Exception {
        Path file = pluginFileOfGuest();
        Files.write(file, wasm("one"));
        FileTime written = Files.getLastModifiedTime(file);
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("one")));

        Files.write(file, wasm("two")); // in place: the same inode and size
        Files.setLastModifiedTime(file, written);
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("two")));
    }

    /** A file rewritten in place with its old size and modification time still has a new change time. */
    @Test
    void aPluginRewrittenInPlaceWithItsOldTimeIsReadAgain() throws Exception {
        Path file = pluginFileOfGuest();
        Files.write(file, wasm("one"));
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        Files.setLastModifiedTime(file, old);
        settle();
        byte[] first = store.activePlugin(GUEST).orElseThrow();
        assertThat(store.activePlugin(GUEST).orElseThrow()).as("kept while unchanged").isSameAs(first);

        Files.write(file, wasm("two")); // in place: the same inode and size, as `cp -p` does
        Files.setLastModifiedTime(file, old);
        assertThat(store.activePlugin(GUEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm("two")));
    }

    /** Only a missing file is "no plugin": a plugin that cannot be read is an error (the mail waits). */
    @Test
    void anUnreadablePluginIsAFailureNotNoPlugin() throws Exception {
        Path file = pluginFileOfGuest();
        Files.createSymbolicLink(file, file.getFileName()); // a loop
        assertThatThrownBy(() -> store.activePlugin(GUEST)).isInstanceOf(java.io.IOException.class)
                .isNotInstanceOf(NoSuchFileException.class);
    }

    /** Where the folder store keeps GUEST's active plugin (its folder made, the file not). */
    private Path pluginFileOfGuest() throws java.io.IOException {
        Path dir = tmp.resolve("store").resolve(GuestKeys.of(GUEST));
        Files.createDirectories(dir);
        return dir.resolve("plugin.wasm");
    }

    /** Waits until files written now count as settled (their change time cannot be set back). */
    private static void settle() throws InterruptedException {
        Thread.sleep(FolderStore.FileStamp.SETTLED_MILLIS + 100);
    }

    @Test
    void aMissingStoreFolderIsAFailureNotNoPlugin() {
        FolderStore missing = new FolderStore(tmp.resolve("missing"));
        assertThatThrownBy(() -> missing.activePlugin(GUEST)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void registrationKeepsOnlyTheTokensHash() throws Exception {
        store.register("alice@example.org", "secret-token", T0);
        Path dir = tmp.resolve("store").resolve(GuestKeys.of("alice@example.org"));
        assertThat(Files.readString(dir.resolve("token.sha256")).trim())
                .isEqualTo(Digests.sha256Hex("secret-token")).doesNotContain("secret");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp"));
        }
    }

    @Test
    void theLedgerFileForgetsEntriesOlderThanThePeriod() throws Exception {
        Duration day = Duration.ofDays(1);
        store.claim("bob@x", GuestStore.Ledger.REPLIES, "alice@y", day, T0);
        store.claim("bob@x", GuestStore.Ledger.REPLIES, "carol@y", day, T0.plusSeconds(7200));
        store.claim("bob@x", GuestStore.Ledger.REPLIES, "dave@y", day, T0.plus(day).plusSeconds(1));

        String ledger = Files.readString(tmp.resolve("store").resolve(GuestKeys.of("bob@x")).resolve("replies.log"));
        assertThat(ledger.lines()).hasSize(2).noneMatch(l -> l.endsWith(GuestKeys.of("alice@y")));
    }

    /** Several JVMs, as concurrent Postfix deliveries are: the file lock makes exactly one of them claim. */
    @Test
    void concurrentProcessesClaimOnce() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LedgerClient.class.getName(), tmp.resolve("store").toString()).redirectErrorStream(true).start());
        }
        int granted = 0;
        for (Process p : processes) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(p.exitValue()).as(out).isZero();
            granted += Integer.parseInt(out);
        }
        assertThat(granted).isEqualTo(1);
    }

    /** One process of {@link #concurrentProcessesClaimOnce}: claims 20 times, prints how often it was granted. */
    public static final class LedgerClient {
        public static void main(String[] args) throws Exception {
            FolderStore store = new FolderStore(Path.of(args[0]));
            int granted = 0;
            for (int i = 0; i < 20; i++) {
                if (store.claim("bob@x", GuestStore.Ledger.REPLIES, "alice@y", Duration.ofDays(1), Instant.now())
                        .granted()) {
                    granted++;
                }
            }
            System.out.println(granted);
        }
    }
}

package dev.hackablemail.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FolderStoreTest extends GuestStoreContract {

    @Override
    GuestStore newStore(Path tmp) throws Exception {
        Path root = tmp.resolve("store");
        Files.createDirectories(root);
        return new FolderStore(root);
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

    @Test
    void aMissingStoreFolderIsAFailureNotNoPlugin() {
        FolderStore missing = new FolderStore(tmp.resolve("missing"));
        assertThatThrownBy(() -> missing.activePlugin(GUEST)).isInstanceOf(NoSuchFileException.class);
    }
}

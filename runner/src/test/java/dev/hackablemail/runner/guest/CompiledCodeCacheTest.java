package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledCodeCacheTest {

    private static final byte[] CLASSES = "pretend these are compiled classes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @AfterEach
    void stopUsingIt() {
        CompiledCodeCache.useDirectory(null);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        }
    }

    private static String echo(GuestModule module) {
        try (GuestPlugin plugin = PluginTemplate.builder(module).build().instantiate()) {
            return new String(plugin.call("echo", "cached".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
    }

    @Test
    void compiledClassesAreStoredAndServeTheNextCompilation() throws IOException {
        CompiledCodeCache.useDirectory(dir);
        byte[] wasm = Wat.bytes("limits.wat");
        GuestModule first = GuestModule.of("cached.wasm", wasm);
        GuestModule.forget(first.digest());
        first = GuestModule.of("cached.wasm", wasm);
        assertThat(echo(first)).isEqualTo("cached");
        assertThat(files(dir)).anySatisfy(f -> assertThat(f.toString()).endsWith(".classes"));

        GuestModule.forget(first.digest());
        assertThat(echo(GuestModule.of("cached.wasm", wasm))).isEqualTo("cached");
    }

    @Test
    void aDamagedEntryIsRecompiledAndReplaced() throws IOException {
        CompiledCodeCache.useDirectory(dir);
        byte[] wasm = Wat.bytes("limits.wat");
        GuestModule module = GuestModule.of("damaged.wasm", wasm);
        GuestModule.forget(module.digest());
        echo(GuestModule.of("damaged.wasm", wasm));
        Path entry = files(dir).get(0);
        byte[] sound = Files.readAllBytes(entry);
        byte[] damaged = sound.clone();
        damaged[damaged.length - 10] ^= 0x55; // one flipped byte inside the classes
        Files.write(entry, damaged);

        GuestModule.forget(module.digest());
        GuestModule recompiled = GuestModule.of("damaged.wasm", wasm);
        assertThat(echo(recompiled)).isEqualTo("cached");
        byte[] rewritten = Files.readAllBytes(entry);
        assertThat(rewritten).isNotEqualTo(damaged);
        assertThat(CompiledCodeCache.checked(rewritten, recompiled.wasm().digest())).isNotNull();
    }

    @Test
    void anEntryIsReturnedOnlyForItsOwnKey() {
        CompiledCodeCache cache = new CompiledCodeCache(dir, CompiledCodeCache.DEFAULT_MAX_BYTES);
        cache.putIfAbsent("sha-256:module-a", CLASSES);
        assertThat(cache.get("sha-256:module-a")).isEqualTo(CLASSES);
        assertThat(cache.get("sha-256:module-b")).isNull();
    }

    @Test
    void aForeignEntryUnderAnotherModulesNameIsDeletedNotLoaded() throws IOException {
        CompiledCodeCache cache = new CompiledCodeCache(dir, CompiledCodeCache.DEFAULT_MAX_BYTES);
        cache.putIfAbsent("sha-256:module-a", CLASSES);
        Files.copy(cache.file("sha-256:module-a"), cache.file("sha-256:module-b"));

        assertThat(cache.get("sha-256:module-b")).isNull();
        assertThat(cache.file("sha-256:module-b")).doesNotExist();
        assertThat(cache.get("sha-256:module-a")).isEqualTo(CLASSES);
    }

    @Test
    void anEntryFromAnotherChicoryVersionIsRefused() throws IOException {
        CompiledCodeCache cache = new CompiledCodeCache(dir, CompiledCodeCache.DEFAULT_MAX_BYTES);
        Files.write(cache.file("sha-256:module-a"), CompiledCodeCache.entry("sha-256:module-a", "0.0.1", CLASSES));
        assertThat(cache.get("sha-256:module-a")).isNull();

        Files.write(cache.file("sha-256:module-a"),
                CompiledCodeCache.entry("sha-256:module-a", CompiledCodeCache.chicoryVersion(), CLASSES));
        assertThat(cache.get("sha-256:module-a")).isEqualTo(CLASSES);
    }

    @Test
    void truncatedOrHeaderlessEntriesAreMisses() throws IOException {
        CompiledCodeCache cache = new CompiledCodeCache(dir, CompiledCodeCache.DEFAULT_MAX_BYTES);
        byte[] sound = CompiledCodeCache.entry("k", CompiledCodeCache.chicoryVersion(), CLASSES);
        Files.write(cache.file("k"), Arrays.copyOf(sound, sound.length - 1));
        assertThat(cache.get("k")).isNull();
        Files.write(cache.file("k"), CLASSES);
        assertThat(cache.get("k")).isNull();
        Files.write(cache.file("k"), new byte[0]);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void theLeastRecentlyUsedEntriesGoWhenTheBudgetIsExceeded() throws IOException {
        long oneEntry = CompiledCodeCache.entry("sha-256:a", CompiledCodeCache.chicoryVersion(), CLASSES).length;
        CompiledCodeCache cache = new CompiledCodeCache(dir, 2 * oneEntry);
        cache.putIfAbsent("sha-256:a", CLASSES);
        cache.putIfAbsent("sha-256:b", CLASSES);
        Files.setLastModifiedTime(cache.file("sha-256:a"), FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(cache.file("sha-256:b"), FileTime.fromMillis(2_000_000));
        assertThat(cache.get("sha-256:a")).isEqualTo(CLASSES); // a is now the most recently used

        cache.putIfAbsent("sha-256:c", CLASSES);

        assertThat(cache.file("sha-256:b")).doesNotExist();
        assertThat(cache.get("sha-256:a")).isEqualTo(CLASSES);
        assertThat(cache.get("sha-256:c")).isEqualTo(CLASSES);
    }

    @Test
    void theUserFolderFollowsXdgCacheHome() {
        assertThat(CompiledCodeCache.userDirectory(Map.of("XDG_CACHE_HOME", "/var/cache/me")))
                .isEqualTo(Path.of("/var/cache/me/xtp-sim/compiled"));
        Path home = Path.of(System.getProperty("user.home"));
        assertThat(CompiledCodeCache.userDirectory(Map.of()))
                .isEqualTo(home.resolve(".cache/xtp-sim/compiled"));
        assertThat(CompiledCodeCache.userDirectory(Map.of("XDG_CACHE_HOME", "relative/ignored")))
                .isEqualTo(home.resolve(".cache/xtp-sim/compiled"));
    }
}

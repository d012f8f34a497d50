package dev.hackablemail.runner.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledCodeCacheTest {

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
    void aDamagedCacheOnlyCostsACompilation() throws IOException {
        CompiledCodeCache.useDirectory(dir);
        byte[] wasm = Wat.bytes("limits.wat");
        GuestModule module = GuestModule.of("damaged.wasm", wasm);
        GuestModule.forget(module.digest());
        echo(GuestModule.of("damaged.wasm", wasm));
        for (Path f : files(dir)) {
            Files.writeString(f, "not classes");
        }
        GuestModule.forget(module.digest());
        assertThat(echo(GuestModule.of("damaged.wasm", wasm))).isEqualTo("cached");
    }
}

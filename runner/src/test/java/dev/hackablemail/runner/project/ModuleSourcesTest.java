package dev.hackablemail.runner.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modules named by URL, against a loopback HTTP server: fetched once, checked by SHA-256, offline from the cache. */
class ModuleSourcesTest {

    @TempDir
    Path dir;

    HttpServer server;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        files.put("/plugin.wasm", "module bytes".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    ModuleSources online() {
        return new ModuleSources(dir.resolve("cache"), false);
    }

    @Test
    void aUrlIsDownloadedOnceAndThenTakenFromTheCache() throws IOException {
        Path first = online().resolve(url("/plugin.wasm"), dir);
        Path second = online().resolve(url("/plugin.wasm"), dir);

        assertThat(first).isEqualTo(second).hasBinaryContent(files.get("/plugin.wasm"));
        assertThat(first.getParent()).isEqualTo(dir.resolve("cache"));
        assertThat(first.getFileName().toString()).endsWith("-plugin.wasm");
        assertThat(requests).hasValue(1);
        assertThat(Files.readString(first.resolveSibling(first.getFileName() + ".sha256")))
                .endsWith("  " + first.getFileName() + "\n");
    }

    @Test
    void offlineUsesTheCacheOnly() {
        String url = url("/plugin.wasm");
        assertThatThrownBy(() -> new ModuleSources(dir.resolve("cache"), true).resolve(url, dir))
                .isInstanceOf(ModuleSourceException.class)
                .hasMessage(url + ": not in the download cache (" + dir.resolve("cache")
                        + ") and --offline forbids downloading it");
        assertThat(requests).hasValue(0);

        online().resolve(url, dir);
        server.stop(0);
        assertThat(new ModuleSources(dir.resolve("cache"), true).resolve(url, dir))
                .hasBinaryContent(files.get("/plugin.wasm"));
    }

    @Test
    void aCachedCopyThatNoLongerMatchesItsDigestIsDownloadedAgainOrRefusedOffline() throws IOException {
        String url = url("/plugin.wasm");
        Path cached = online().resolve(url, dir);
        Files.writeString(cached, "tampered");

        assertThatThrownBy(() -> new ModuleSources(dir.resolve("cache"), true).resolve(url, dir))
                .hasMessageStartingWith(url + ": its copy in the download cache no longer matches its SHA-256");
        assertThat(online().resolve(url, dir)).hasBinaryContent(files.get("/plugin.wasm"));
        assertThat(requests).hasValue(2);
    }

    @Test
    void unreachableAndMissingUrlsAreErrorsNamingTheUrl() {
        String missing = url("/missing.wasm");
        assertThatThrownBy(() -> online().resolve(missing, dir))
                .isInstanceOf(ModuleSourceException.class)
                .hasMessage(missing + ": cannot be downloaded: HTTP 404");

        String unreachable = url("/plugin.wasm");
        server.stop(0);
        assertThatThrownBy(() -> online().resolve(unreachable, dir))
                .isInstanceOf(ModuleSourceException.class)
                .hasMessageStartingWith(unreachable + ": cannot be downloaded: ");
        assertThat(dir.resolve("cache/" + ModuleSources.fileName(unreachable))).doesNotExist();
    }

    @Test
    void pathsAreResolvedAgainstTheBaseFolder() {
        assertThat(online().resolve("dist/plugin.wasm", dir)).isEqualTo(dir.resolve("dist/plugin.wasm"));
        assertThat(ModuleSources.isUrl("HTTPS://example.com/p.wasm")).isTrue();
        assertThat(ModuleSources.isUrl("httpdocs/p.wasm")).isFalse();
    }

    @Test
    void theCacheFollowsXdgCacheHome() {
        Path home = Path.of("/home/ann");
        assertThat(ModuleSources.defaultCache(Map.of("XDG_CACHE_HOME", "/var/cache/ann"), home))
                .isEqualTo(Path.of("/var/cache/ann/xtp-sim/downloads"));
        assertThat(ModuleSources.defaultCache(Map.of(), home)).isEqualTo(Path.of("/home/ann/.cache/xtp-sim/downloads"));
        assertThat(ModuleSources.defaultCache(Map.of("XDG_CACHE_HOME", "relative"), home))
                .isEqualTo(Path.of("/home/ann/.cache/xtp-sim/downloads"));
    }
}

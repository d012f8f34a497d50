package dev.hackablemail.runner.project;

import dev.hackablemail.runner.report.Reasons;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Where a module named in {@code xtp.toml} or on the command line comes from: a path, or an
 * {@code http(s)://} URL, as the official repositories' {@code xtp.toml} files name their
 * plugin. A URL is downloaded once into the cache folder and taken from there afterwards:
 * the file is named after the SHA-256 of the URL, and the SHA-256 of its content, written
 * beside it ({@code <file>.sha256}, in {@code sha256sum} format), is checked on every reuse.
 * A copy that no longer matches is downloaded again, or refused when offline.
 */
public final class ModuleSources {

    /** The largest module downloaded; a plugin is kilobytes to a few megabytes. */
    static final long MAX_BYTES = 256L << 20;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Path cache;
    private final boolean offline;
    private HttpClient client;

    /**
     * @param cache the folder downloads are kept in (made when first needed)
     * @param offline take URLs from the cache only, never from the network
     */
    public ModuleSources(Path cache, boolean offline) {
        this.cache = cache;
        this.offline = offline;
    }

    /** The cache folder for this user: {@code $XDG_CACHE_HOME/xtp-sim/downloads}, else {@code ~/.cache/...}. */
    public static Path defaultCache() {
        return defaultCache(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** As the XDG base directory specification says: a relative or empty XDG_CACHE_HOME is ignored. */
    static Path defaultCache(Map<String, String> environment, Path home) {
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
        return base.resolve("xtp-sim").resolve("downloads");
    }

    public Path cache() {
        return cache;
    }

    public static boolean isUrl(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /**
     * The file for {@code location}: a URL's cached copy (downloaded first if needed), else
     * the path resolved against {@code base}.
     *
     * @throws ModuleSourceException naming the URL: it cannot be downloaded, or is not in the
     *     cache while offline
     */
    public Path resolve(String location, Path base) {
        return isUrl(location) ? fetch(location) : base.resolve(location);
    }

    private Path fetch(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ModuleSourceException(url + ": not a valid URL: " + e.getReason());
        }
        Path file = cache.resolve(fileName(url));
        Path digestFile = file.resolveSibling(file.getFileName() + ".sha256");
        String problem = cachedCopyProblem(file, digestFile);
        if (problem == null) {
            return file;
        }
        if (offline) {
            throw new ModuleSourceException(url + ": " + problem + " (" + cache
                    + ") and --offline forbids downloading it");
        }
        byte[] bytes = download(url, uri);
        try {
            Files.createDirectories(cache);
            Path temp = Files.createTempFile(cache, ".download-", ".part");
            Files.write(temp, bytes);
            Files.writeString(digestFile, sha256(bytes) + "  " + file.getFileName() + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModuleSourceException(url + ": downloaded, but cannot be kept in " + cache + ": " + e.getMessage());
        }
        return file;
    }

    /** Why the cached copy cannot be used, or null when it can. */
    private static String cachedCopyProblem(Path file, Path digestFile) {
        if (!Files.isRegularFile(file) || !Files.isRegularFile(digestFile)) {
            return "not in the download cache";
        }
        try {
            String expected = Files.readString(digestFile, StandardCharsets.UTF_8).strip().split("\\s+")[0];
            return expected.equals(sha256(Files.readAllBytes(file))) ? null
                    : "its copy in the download cache no longer matches its SHA-256";
        } catch (IOException e) {
            return "its copy in the download cache cannot be read (" + e.getMessage() + ")";
        }
    }

    private byte[] download(String url, URI uri) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        } catch (IllegalArgumentException e) {
            throw new ModuleSourceException(url + ": not a valid URL: " + e.getMessage());
        }
        try {
            HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new ModuleSourceException(url + ": cannot be downloaded: HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes((int) MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new ModuleSourceException(url + ": cannot be downloaded: larger than " + (MAX_BYTES >> 20)
                            + " MiB");
                }
                return bytes;
            }
        } catch (ConnectException e) {
            throw new ModuleSourceException(url + ": cannot be downloaded: the server cannot be reached (connection"
                    + " refused)");
        } catch (HttpTimeoutException e) {
            throw new ModuleSourceException(url + ": cannot be downloaded: no answer in time (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new ModuleSourceException(url + ": cannot be downloaded: " + Reasons.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleSourceException(url + ": the download was interrupted");
        }
    }

    private HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return client;
    }

    /** The SHA-256 of the URL (the key), then the URL's last path segment, so people can tell files apart. */
    static String fileName(String url) {
        String path = url.replaceFirst("[?#].*$", "");
        String last = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        String key = sha256(url.getBytes(StandardCharsets.UTF_8));
        return key + "-" + (last.isEmpty() || last.startsWith(".") ? "module.wasm" : last);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

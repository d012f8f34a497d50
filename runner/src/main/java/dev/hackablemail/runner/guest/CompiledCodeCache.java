package dev.hackablemail.runner.guest;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Keeps the JVM classes Chicory compiles from Wasm in a folder, so that a short-lived
 * process (a {@code xtp-sim test} run, the Postfix filter's JVM per message) loads them
 * instead of compiling the module again.
 *
 * <p>An entry is keyed by the module's digest and the Chicory version that compiled it
 * (classes compiled by another Chicory call into internals that may have changed). Each
 * file carries both and a SHA-256 of its classes; an entry whose header, key, version or
 * checksum does not match (damaged, truncated, written for another module or by another
 * Chicory) is deleted and reported as a miss, so the module is compiled again: an entry
 * is never loaded unchecked. Reads that fail are misses, writes that fail are skipped.
 *
 * <p>The folder is bounded: after each write, the least recently used entries go until
 * the entries fit in the budget.
 */
public final class CompiledCodeCache implements Cache {

    /** Default budget of a cache folder. A compiled module takes tens to hundreds of KiB. */
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

    static final String SUFFIX = ".classes";
    private static final byte[] MAGIC = "xtp-sim compiled wasm 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER_LINE = 512;
    private static final String CHICORY_VERSION = readChicoryVersion();

    private static volatile CompiledCodeCache shared;

    private final Path dir;
    private final long maxBytes;

    CompiledCodeCache(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** From now on, modules compiled in this process use (and fill) the cache in {@code dir}. */
    public static void useDirectory(Path dir) {
        useDirectory(dir, DEFAULT_MAX_BYTES);
    }

    /** As {@link #useDirectory(Path)}, keeping at most {@code maxBytes} of entries there. */
    public static void useDirectory(Path dir, long maxBytes) {
        shared = dir == null || CHICORY_VERSION == null ? null : new CompiledCodeCache(dir, maxBytes);
    }

    /**
     * The user's cache folder for xtp-sim: {@code $XDG_CACHE_HOME/xtp-sim/compiled}, else
     * {@code ~/.cache/xtp-sim/compiled} (the XDG base directory convention).
     */
    public static Path userDirectory(Map<String, String> environment) {
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("xtp-sim").resolve("compiled");
    }

    /** Uses the user's cache folder ({@link #userDirectory}). */
    public static void useUserDirectory() {
        useDirectory(userDirectory(System.getenv()));
    }

    /** Uses the user's cache folder unless this process already chose one (a host embedding the runner). */
    public static void useUserDirectoryUnlessSet() {
        if (shared == null) {
            useUserDirectory();
        }
    }

    /** The folder of the cache in use, if any. */
    public static java.util.Optional<Path> directory() {
        CompiledCodeCache cache = shared;
        return java.util.Optional.ofNullable(cache == null ? null : cache.dir);
    }

    /** The cache in use, or null. */
    static CompiledCodeCache shared() {
        return shared;
    }

    @Override
    public byte[] get(String key) {
        Path file = file(key);
        byte[] stored;
        try {
            stored = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        byte[] classes = checked(stored, key);
        if (classes == null) {
            deleteQuietly(file);
            return null;
        }
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | RuntimeException e) {
            // only the eviction order suffers
        }
        return classes;
    }

    @Override
    public void putIfAbsent(String key, byte[] data) {
        Path file = file(key);
        if (Files.exists(file)) {
            return;
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(dir);
            Files.write(tmp, entry(key, CHICORY_VERSION, data));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            return;
        }
        evictBeyondBudget();
    }

    /** The Chicory version whose compiled classes this process reads and writes. */
    private static String readChicoryVersion() {
        String resource = "/META-INF/maven/com.dylibso.chicory/compiler/pom.properties";
        try (InputStream in = MachineFactoryCompiler.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null; // unknown version: entries could not be told apart, so no cache
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }

    /** Header lines (magic, key, Chicory version, SHA-256 of the classes, their length), then the classes. */
    static byte[] entry(String key, String version, byte[] classes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(classes.length + 256);
        out.writeBytes(MAGIC);
        String header = key + '\n' + version + '\n' + GuestModule.sha256(classes) + '\n' + classes.length + '\n';
        out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(classes);
        return out.toByteArray();
    }

    /** The Chicory version entries are written for and accepted from. */
    static String chicoryVersion() {
        return CHICORY_VERSION;
    }

    /** The classes in {@code stored} if it is a sound entry for {@code key} from this Chicory; else null. */
    static byte[] checked(byte[] stored, String key) {
        if (stored.length < MAGIC.length || !Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(stored, MAGIC.length, stored.length - MAGIC.length);
        String storedKey = line(in);
        String version = line(in);
        String checksum = line(in);
        String length = line(in);
        if (!key.equals(storedKey) || !CHICORY_VERSION.equals(version) || checksum == null || length == null
                || !length.equals(Integer.toString(in.remaining()))) {
            return null;
        }
        byte[] classes = Arrays.copyOfRange(stored, in.position(), stored.length);
        return GuestModule.sha256(classes).equals(checksum) ? classes : null;
    }

    private static String line(ByteBuffer in) {
        int start = in.position();
        for (int i = start; i < in.limit() && i - start <= MAX_HEADER_LINE; i++) {
            if (in.get(i) == '\n') {
                in.position(i + 1);
                return new String(in.array(), start, i - start, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Deletes the least recently used entries until the rest fit in the budget. */
    private void evictBeyondBudget() {
        List<Path> entries = new ArrayList<>();
        List<BasicFileAttributes> attributes = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                entries.add(f);
                attributes.add(a);
                total += a.size();
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (total <= maxBytes) {
            return;
        }
        Integer[] order = new Integer[entries.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparing(i -> attributes.get(i).lastModifiedTime()));
        for (int i : order) {
            if (total <= maxBytes) {
                break;
            }
            if (deleteQuietly(entries.get(i))) {
                total -= attributes.get(i).size();
            }
        }
    }

    private static boolean deleteQuietly(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Hashing the key with the Chicory version gives a safe file name per (module, compiler) pair. */
    Path file(String key) {
        return dir.resolve(GuestModule.sha256((key + '\n' + CHICORY_VERSION).getBytes(StandardCharsets.UTF_8)) + SUFFIX);
    }

}

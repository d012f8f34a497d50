package dev.hackablemail.runner.guest;

import com.dylibso.chicory.compiler.Cache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keeps the JVM classes Chicory compiles from Wasm in a folder, keyed by the module's
 * digest, so that a process that lives for one call (the Postfix filter: a JVM per message)
 * loads them instead of compiling the plugin again. A damaged or unwritable cache only costs
 * a compilation: reads that fail are misses, writes that fail are skipped.
 */
public final class CompiledCodeCache implements Cache {

    private static volatile CompiledCodeCache shared;

    private final Path dir;

    private CompiledCodeCache(Path dir) {
        this.dir = dir;
    }

    /** From now on, modules compiled in this process use (and fill) the cache in {@code dir}. */
    public static void useDirectory(Path dir) {
        shared = dir == null ? null : new CompiledCodeCache(dir);
    }

    /** The cache in use, or null. */
    static CompiledCodeCache shared() {
        return shared;
    }

    @Override
    public byte[] get(String key) {
        try {
            return Files.readAllBytes(file(key));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
            Files.write(tmp, data);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do: the next run compiles again
            }
        }
    }

    /** The key is Chicory's module digest; hashing it again gives a safe file name whatever it holds. */
    private Path file(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(hash) + ".classes");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

package dev.hackablemail.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Durable, all-or-nothing file replacement: the bytes go to a temporary file in the same
 * folder, are forced to disk, and the temporary file is renamed over the target (an atomic
 * {@code rename(2)} on POSIX file systems); then the folder itself is forced, so the rename
 * survives a crash. A reader that opens the target sees the old file or the new one, never
 * part of one, and a reader that opened the old one keeps reading it whole.
 */
public final class AtomicFiles {

    /** Temporary files start with this; a stale one (left by a crash) is harmless and swept. */
    public static final String TEMP_PREFIX = ".tmp-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = writeTemp(target.getParent(), bytes);
        try {
            moveInto(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code bytes} to a new temporary file in {@code dir}, forced to disk. */
    public static Path writeTemp(Path dir, byte[] bytes) throws IOException {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        Path tmp = dir.resolve(TEMP_PREFIX + HexFormat.of().formatHex(id));
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** Renames a forced temporary file over {@code target}, atomically, and forces the folder. */
    public static void moveInto(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // same folder, so this only happens on exotic file systems; still one rename
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceFolder(target.getParent());
    }

    /** Deletes {@code file} (if there) and forces its folder, so the removal is durable. */
    public static boolean delete(Path file) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        if (deleted) {
            forceFolder(file.getParent());
        }
        return deleted;
    }

    /** fsync of a folder: Linux allows it on a read-only channel; elsewhere it is skipped. */
    public static void forceFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here (Windows): the rename is still atomic, only less durable
        }
    }
}

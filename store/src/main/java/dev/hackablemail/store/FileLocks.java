package dev.hackablemail.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks on files, between processes (a {@link FileLock}) and between the threads
 * of one process (a {@link ReentrantLock}: one JVM cannot hold two locks on one file).
 */
final class FileLocks {

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLocks() {}

    /** Opens (creating) {@code file} for reading and writing and locks it until the handle is closed. */
    static Held lock(Path file) throws IOException {
        if (!Files.isDirectory(file.getParent())) { // createDirectories throws (and catches) for one that exists
            Files.createDirectories(file.getParent());
        }
        Path absolute = file.toAbsolutePath();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(absolute, f -> new ReentrantLock());
        local.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(absolute, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            return new Held(channel, channel.lock(), local);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    /** A held lock and the open file it is on. */
    static final class Held implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;
        private final ReentrantLock local;

        private Held(FileChannel channel, FileLock lock, ReentrantLock local) {
            this.channel = channel;
            this.lock = lock;
            this.local = local;
        }

        FileChannel channel() {
            return channel;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
                channel.close();
            } finally {
                local.unlock();
            }
        }
    }
}

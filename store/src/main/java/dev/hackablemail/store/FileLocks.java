package dev.hackablemail.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
        return lock(file, null);
    }

    /** How often a lock held by another process is tried again. */
    private static final long RETRY_MILLIS = 10;

    /**
     * {@link #lock(Path)}, waiting at most {@code timeout} (null: without bound) for another
     * thread or process to let go of the file.
     *
     * @throws IOException when the lock could not be had within the timeout, naming the file
     */
    static Held lock(Path file, Duration timeout) throws IOException {
        if (!Files.isDirectory(file.getParent())) { // createDirectories throws (and catches) for one that exists
            Files.createDirectories(file.getParent());
        }
        Path absolute = file.toAbsolutePath();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(absolute, f -> new ReentrantLock());
        if (timeout == null) {
            local.lock();
            return onFile(absolute, local, null, null);
        }
        // A plugin's deadline interrupts its thread: that must neither fail the wait nor close
        // the channel. The interrupt is put back at the end.
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                try {
                    if (!local.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        throw heldTooLong(file, timeout);
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return onFile(absolute, local, deadline, timeout);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Locks the file itself once this process's lock is held (given back on failure). */
    private static Held onFile(Path file, ReentrantLock local, Long deadline, Duration timeout) throws IOException {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (deadline == null) {
                return new Held(channel, channel.lock(), local);
            }
            for (;;) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return new Held(channel, lock, local);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw heldTooLong(file, timeout);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS));
            }
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    private static IOException heldTooLong(Path file, Duration timeout) {
        return new IOException(file + " stayed locked by another delivery or process for "
                + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms")
                + " (store_timeout)");
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

package dev.hackablemail.filter.smtpd;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages the daemon delivered recently, so that a message is never delivered twice.
 *
 * <p>SMTP leaves one gap: the re-injection server has taken the mail, and the daemon dies
 * before its 250 reaches Postfix, which then sends the mail again (RFC 1047). The daemon
 * writes the message's key here as soon as the re-injection server accepted it; a message
 * that comes again with a known key is answered 250 without running the plugin or
 * delivering again. What is left of the gap is the write of one line after the server's
 * 250, instead of the whole rest of the message (the plugin, its reply, the answer). With
 * the end-of-data policy hop ({@link HandOvers}) the key is written earlier, when the
 * re-injection server has passed its last check, and {@link #forget taken back} if the
 * server refuses the message after all.
 *
 * <p>The key is a digest of the envelope and the bytes: Postfix sends a queued message with
 * the same bytes on every attempt, and two distinct messages differ at least in Postfix's
 * Received header (queue id, time). Keys are kept for {@code period} (at least Postfix's
 * {@code maximal_queue_lifetime}), in memory (about 100 bytes each) and in an append-only file
 * that is compacted when it has grown to twice the live entries. Lines are written with
 * plain (non-interruptible) file writes without fsync: they survive the daemon being killed,
 * not the machine losing power. The file is locked: two daemons cannot share it.
 */
public final class DeliveryJournal implements AutoCloseable {

    private static final int KEY_BYTES = 16;
    /** Marks a line that takes a key back. */
    private static final String FORGET = "-";

    private final Path file;
    private final Duration period;
    private final Clock clock;
    private final RandomAccessFile lockFile;
    private final FileLock lock;
    /** Key to the epoch millis it was recorded at, oldest first. */
    private final LinkedHashMap<String, Long> keys = new LinkedHashMap<>();
    private FileOutputStream out;
    /** The line numbers {@link #load} could not read. */
    private final List<Integer> unreadable = new java.util.ArrayList<>();
    private Path damagedCopy;
    private long linesInFile;

    private DeliveryJournal(Path file, Duration period, Clock clock, RandomAccessFile lockFile, FileLock lock) {
        this.file = file;
        this.period = period;
        this.clock = clock;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /**
     * Opens (or creates) the journal, reading the keys still within {@code period}.
     *
     * @throws IOException when the file cannot be read or written, or another daemon holds it
     */
    public static DeliveryJournal open(Path file, Duration period, Clock clock) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        RandomAccessFile lockFile = new RandomAccessFile(file.resolveSibling(file.getFileName() + ".lock").toFile(), "rw");
        FileLock lock;
        try {
            lock = lockFile.getChannel().tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very process
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
        if (lock == null) {
            lockFile.close();
            throw new IOException(file + " is in use by another hackable-email smtpd");
        }
        DeliveryJournal journal = new DeliveryJournal(file, period, clock, lockFile, lock);
        try {
            journal.load();
            journal.compact();
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    /** The key of a message: its envelope and bytes. */
    public static String key(String sender, String recipient, byte[] message) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(sender.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(recipient.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] digest = sha.digest(message);
            return HexFormat.of().formatHex(digest, 0, KEY_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** When the message with this key was delivered, if it was within the period; else null. */
    public synchronized Long deliveredAt(String key) {
        Long at = keys.get(key);
        return at != null && at >= oldestKept() ? at : null;
    }

    /** Remembers that the message with this key was delivered (now). */
    public synchronized void record(String key) throws IOException {
        long now = clock.millis();
        out.write((now + " " + key + "\n").getBytes(StandardCharsets.US_ASCII));
        linesInFile++;
        keys.remove(key);
        keys.put(key, now);
        forgetExpired();
        if (linesInFile > 2 * keys.size() + 1000) {
            try {
                compact();
            } catch (IOException e) {
                // the line is written; compacting is tried again with the next one
            }
        }
    }

    /**
     * Takes a record back: the re-injection that was recorded when it passed its last check
     * (the end-of-data policy hop) failed after all, so the message must be delivered on
     * Postfix's retry. Written as a line of its own ({@code millis -key}).
     */
    public synchronized void forget(String key) throws IOException {
        if (keys.remove(key) == null) {
            return;
        }
        out.write((clock.millis() + " " + FORGET + key + "\n").getBytes(StandardCharsets.US_ASCII));
        linesInFile++;
    }

    /** How many keys are remembered now. */
    public synchronized int size() {
        return keys.size();
    }

    private long oldestKept() {
        return clock.millis() - period.toMillis();
    }

    private void forgetExpired() {
        long oldest = oldestKept();
        for (Iterator<Map.Entry<String, Long>> it = keys.entrySet().iterator(); it.hasNext();) {
            if (it.next().getValue() >= oldest) {
                break;
            }
            it.remove();
        }
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        long oldest = oldestKept();
        byte[] bytes = Files.readAllBytes(file);
        int lineNumber = 0;
        for (int start = 0; start < bytes.length;) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            // ISO-8859-1 reads any byte: a damaged line is skipped, not the whole file
            String line = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
            start = end + 1;
            if (!LINE.matcher(line).matches()) {
                if (!line.isEmpty()) {
                    unreadable.add(lineNumber);
                }
                continue;
            }
            int space = line.indexOf(' ');
            long at = Long.parseLong(line.substring(0, space));
            String key = line.substring(space + 1);
            if (key.startsWith(FORGET)) {
                keys.remove(key.substring(FORGET.length()));
            } else if (at >= oldest) {
                keys.remove(key);
                keys.put(key, at);
            }
        }
        if (!unreadable.isEmpty()) {
            // compaction drops the damaged lines: the file as it was is kept beside it
            damagedCopy = file.resolveSibling(file.getFileName() + ".damaged");
            Files.write(damagedCopy, bytes);
        }
    }

    /** A journal line: epoch millis, a space, a key (or {@value #FORGET} and a key). */
    private static final java.util.regex.Pattern LINE =
            java.util.regex.Pattern.compile("[0-9]{1,18} " + FORGET + "?[0-9a-f]{" + 2 * KEY_BYTES + "}");

    /**
     * What {@link #open} could not read, for the daemon to say at start: the numbers of the
     * lines that were no entry (damaged, or cut short by a crash), how many entries were
     * kept, and where the file as it was is kept; null when every line was readable.
     */
    public String damage() {
        if (unreadable.isEmpty()) {
            return null;
        }
        List<Integer> shown = unreadable.subList(0, Math.min(10, unreadable.size()));
        return file + ": " + unreadable.size() + " unreadable line(s) skipped (line"
                + (unreadable.size() == 1 ? " " : "s ") + shown.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", "))
                + (unreadable.size() > shown.size() ? ", ..." : "") + "), " + keys.size() + " entries kept;"
                + " the file as it was is in " + damagedCopy;
    }

    /** Rewrites the file with the live keys only (atomically), and appends to it from then on. */
    private void compact() throws IOException {
        // Called during a plugin call, whose deadline may have interrupted this thread: NIO
        // file writes would fail on it. The interrupt is put back at the end.
        boolean interrupted = Thread.interrupted();
        try {
            StringBuilder text = new StringBuilder(keys.size() * 48);
            keys.forEach((key, at) -> text.append(at).append(' ').append(key).append('\n'));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            FileOutputStream fresh = new FileOutputStream(file.toFile(), true);
            if (out != null) {
                out.close();
            }
            out = fresh;
            linesInFile = keys.size();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (out != null) {
                out.close();
            }
        } finally {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
            } finally {
                lockFile.close();
            }
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}

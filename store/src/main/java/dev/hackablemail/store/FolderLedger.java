package dev.hackablemail.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rate-limit ledger file of a folder store ({@code replies.log}, {@code invitations.log}):
 * lines {@code <epoch millis> <guest key of the other address>}, read and rewritten under
 * the file's exclusive lock, so concurrent deliveries see each other's claims.
 */
final class FolderLedger {

    private final Path file;
    private final Duration lockTimeout;

    FolderLedger(Path file, Duration lockTimeout) {
        this.file = file;
        this.lockTimeout = lockTimeout;
    }

    GuestStore.LedgerClaim claim(String otherKey, Duration period, Instant now) throws IOException {
        Long previous;
        try (FileLocks.Held held = FileLocks.lock(file, lockTimeout)) {
            Map<String, Long> entries = read(held.channel());
            previous = entries.get(otherKey);
            if (previous != null && !Instant.ofEpochMilli(previous).plus(period).isBefore(now)) {
                return Claims.refused(Instant.ofEpochMilli(previous));
            }
            entries.put(otherKey, now.toEpochMilli());
            write(held.channel(), entries, now.minus(period).toEpochMilli());
        }
        Long before = previous;
        return Claims.granted(() -> release(otherKey, now.toEpochMilli(), before));
    }

    /** Puts the entry back as it was, unless a later claim replaced it meanwhile. */
    private void release(String otherKey, long claimed, Long previous) throws IOException {
        try (FileLocks.Held held = FileLocks.lock(file, lockTimeout)) {
            Map<String, Long> entries = read(held.channel());
            if (!Long.valueOf(claimed).equals(entries.get(otherKey))) {
                return;
            }
            if (previous == null) {
                entries.remove(otherKey);
            } else {
                entries.put(otherKey, previous);
            }
            write(held.channel(), entries, Long.MIN_VALUE);
        }
    }

    /** Every entry, the latest per other address (for the migration). */
    Map<String, Long> entries() throws IOException {
        if (!java.nio.file.Files.exists(file)) {
            return Map.of();
        }
        try (FileLocks.Held held = FileLocks.lock(file, lockTimeout)) {
            return read(held.channel());
        }
    }

    private static Map<String, Long> read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 64L << 20));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read it all
        }
        Map<String, Long> entries = new LinkedHashMap<>();
        for (String line : new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                try {
                    entries.merge(line.substring(space + 1).trim(), Long.parseLong(line.substring(0, space)),
                            Math::max);
                } catch (NumberFormatException ignored) {
                    // a torn or foreign line: skip it
                }
            }
        }
        return entries;
    }

    /** Rewrites the file with the entries not older than {@code oldest}. */
    private static void write(FileChannel channel, Map<String, Long> entries, long oldest) throws IOException {
        StringBuilder out = new StringBuilder();
        entries.forEach((k, t) -> {
            if (t >= oldest) {
                out.append(t).append(' ').append(k).append('\n');
            }
        });
        channel.truncate(0);
        ByteBuffer buffer = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.US_ASCII));
        long position = 0;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        // No fsync: after a crash the worst case is one more auto-reply to a sender, and
        // an fsync per reply would cost more than the rest of the reply together.
    }
}

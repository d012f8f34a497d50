package dev.hackablemail.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The plugin store on disk: the one place that knows its layout, shared by the filter and
 * (later) the service that lets guests push plugins.
 *
 * <pre>
 * STORE/
 *   filter.log                  the filter's log, one line a message (the default log file)
 *   &lt;guest key&gt;/                 one folder per address: lower-case hex of the lower-cased
 *                               address's UTF-8 bytes ("bob@example.com" -&gt; "626f62406578...")
 *     plugin.wasm               the active plugin of that recipient (absent: mail passes unchanged)
 *     guest.json                {"address": ..., "registered": ..., "invited": ...} (signup)
 *     token.sha256              lower-case hex SHA-256 of the guest's one-time token (signup)
 *     replies.log               when the address's plugin last replied to each sender
 *     invitations.log           when the address (as the signup address) last sent an invitation
 * </pre>
 *
 * <p>The two {@code .log} ledgers hold lines {@code <epoch millis> <guest key of the other
 * address>}. They are read and rewritten under an exclusive file lock (and an in-process lock,
 * since one JVM cannot hold two locks on one file), so concurrent deliveries see each other.
 */
public final class GuestStore {

    public static final String PLUGIN_FILE = "plugin.wasm";
    public static final String GUEST_FILE = "guest.json";
    public static final String TOKEN_FILE = "token.sha256";
    public static final String LOG_FILE = "filter.log";

    /** The two rate-limit ledgers an address folder may hold. */
    public enum Ledger {
        /** Replies the address's plugin sent, by sender. */
        REPLIES("replies.log"),
        /** Invitations the signup address sent, by guest. */
        INVITATIONS("invitations.log");

        private final String fileName;

        Ledger(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }
    }

    /** Made on first use: most filter runs never touch guest.json, and Jackson costs a cold start ~0.1 s. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private static final Map<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path root;

    public GuestStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The lower-case hex of the lower-cased address's UTF-8 bytes. */
    public static String guestKey(String address) {
        return HexFormat.of().formatHex(address.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    public Path guestDir(String address) {
        return root.resolve(guestKey(address));
    }

    public Path pluginFile(String address) {
        return guestDir(address).resolve(PLUGIN_FILE);
    }

    /**
     * The active plugin of {@code address}; empty when the address has none.
     *
     * @throws IOException when the store itself is missing or the plugin cannot be read (the
     *     caller must not take this for "no plugin": the mail is retried later)
     */
    public Optional<byte[]> readPlugin(String address) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "the plugin store folder is missing");
        }
        try {
            return Optional.of(Files.readAllBytes(pluginFile(address)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Registers {@code address} as a guest (or renews its invitation): stores the SHA-256 of
     * its new one-time token, replacing any earlier one, and records the times in
     * {@code guest.json} (the first registration time is kept).
     */
    public void register(String address, String token, Instant now) throws IOException {
        Path dir = guestDir(address);
        Files.createDirectories(dir);
        ObjectNode guest = Json.MAPPER.createObjectNode();
        guest.put("address", address);
        guest.put("registered", guest(address).map(g -> g.path("registered").asText(null)).orElse(now.toString()));
        guest.put("invited", now.toString());
        writeAtomically(dir.resolve(TOKEN_FILE), (sha256Hex(token) + "\n").getBytes(StandardCharsets.US_ASCII));
        writeAtomically(dir.resolve(GUEST_FILE), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(guest));
    }

    /** The guest record of {@code address}, if it signed up. */
    public Optional<JsonNode> guest(String address) throws IOException {
        try {
            return Optional.of(Json.MAPPER.readTree(Files.readAllBytes(guestDir(address).resolve(GUEST_FILE))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code token} is the guest's current one-time token. */
    public boolean tokenMatches(String address, String token) throws IOException {
        try {
            String stored = Files.readString(guestDir(address).resolve(TOKEN_FILE), StandardCharsets.US_ASCII).trim();
            return MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                    sha256Hex(token).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Opens {@code address}'s ledger for {@code other} and locks it until the reservation is
     * closed: look at {@link Reservation#lastWithin()}, send, then {@link Reservation#record()}.
     * Other deliveries for the same address wait meanwhile, so two of them cannot both decide
     * to reply.
     */
    public Reservation reserve(String address, Ledger ledger, String other, Duration period, Instant now)
            throws IOException {
        Path dir = guestDir(address);
        Files.createDirectories(dir);
        Path file = dir.resolve(ledger.fileName()).toAbsolutePath();
        ReentrantLock local = IN_PROCESS_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            return new Reservation(channel, lock, local, guestKey(other), period, now);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    /** A locked ledger of one address, looked at for one other address. */
    public static final class Reservation implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;
        private final ReentrantLock local;
        private final String key;
        private final Duration period;
        private final Instant now;
        private final Map<String, Long> entries = new LinkedHashMap<>();

        private Reservation(FileChannel channel, FileLock lock, ReentrantLock local, String key, Duration period,
                Instant now) throws IOException {
            this.channel = channel;
            this.lock = lock;
            this.local = local;
            this.key = key;
            this.period = period;
            this.now = now;
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 64L << 20));
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // read it all
            }
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
        }

        /** When the last entry for the other address within the period was made, if any. */
        public Optional<Instant> lastWithin() {
            Long last = entries.get(key);
            if (last == null || period.isZero() || Instant.ofEpochMilli(last).plus(period).isBefore(now)) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochMilli(last));
        }

        /** Records an entry for the other address now, dropping entries older than the period. */
        public void record() throws IOException {
            entries.put(key, now.toEpochMilli());
            long oldest = now.minus(period).toEpochMilli();
            StringBuilder out = new StringBuilder();
            entries.forEach((k, t) -> {
                if (t >= oldest) {
                    out.append(t).append(' ').append(k).append('\n');
                }
            });
            byte[] bytes = out.toString().getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long position = 0;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            // No fsync: after a crash the worst case is one more auto-reply to a sender, and
            // an fsync per reply would cost more than the rest of the reply together.
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

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}

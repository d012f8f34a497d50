package dev.hackablemail.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions of one guest's plugin, beside the filter's files in the guest's folder
 * (the filter only ever reads {@code plugin.wasm}):
 *
 * <pre>
 * STORE/&lt;guest key&gt;/
 *   plugin.wasm            the active plugin (the filter's; replaced atomically)
 *   versions/
 *     1.wasm  1.json       every accepted plugin: its bytes (never changed once written) and its
 *     2.wasm  2.json       record {version, sha256, size, pushed, by, simulations}
 *     active               "N SHA256": the version last activated (gone after a removal)
 *     history.jsonl        one JSON line per push, rejection, rollback, removal, revocation
 *     .lock                held while a push, rollback or removal changes the folder
 *     .tmp-*               uploads being checked, files being written (swept after an hour)
 * </pre>
 *
 * Only plugins that passed the gate get a number; numbers only grow, also after pruning.
 */
final class PluginVersions {

    static final String DIR = "versions";
    static final String ACTIVE_FILE = "active";
    static final String HISTORY_FILE = "history.jsonl";
    static final String LOCK_FILE = ".lock";
    private static final Pattern RECORD = Pattern.compile("(\\d{1,9})\\.json");
    private static final Duration STALE = Duration.ofHours(1);
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One accepted version.
     *
     * @param version its number, from 1
     * @param sha256 lower-case hex SHA-256 of its bytes
     * @param size its size in bytes
     * @param pushed when it was accepted (ISO-8601, UTC)
     * @param by who pushed it: {@code guest} (with the guest's token) or {@code admin}
     * @param simulations how each simulation went when it was accepted
     */
    record VersionRecord(int version, String sha256, long size, String pushed, String by,
            List<SimulationSummary> simulations) {}

    /** A simulation's counts, as kept with a version. */
    record SimulationSummary(String name, int passed, int failed, long millis) {}

    private final Path dir;

    PluginVersions(Path guestDir) {
        this.dir = guestDir.resolve(DIR);
    }

    /** Every version kept, oldest first. */
    List<VersionRecord> list() throws IOException {
        List<VersionRecord> records = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return records;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                Matcher m = RECORD.matcher(file.getFileName().toString());
                if (m.matches()) {
                    read(Integer.parseInt(m.group(1))).ifPresent(records::add);
                }
            }
        }
        records.sort(Comparator.comparingInt(VersionRecord::version));
        return records;
    }

    /** Version {@code n}'s record, if it is kept (and both its files are there). */
    Optional<VersionRecord> read(int n) throws IOException {
        try {
            VersionRecord r = JSON.readValue(Files.readAllBytes(dir.resolve(n + ".json")), VersionRecord.class);
            return r.version() == n && Files.isRegularFile(wasmFile(n)) ? Optional.of(r) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    Path wasmFile(int n) {
        return dir.resolve(n + ".wasm");
    }

    byte[] bytes(int n) throws IOException {
        return Files.readAllBytes(wasmFile(n));
    }

    /** Writes an upload to a temporary file in the versions folder, where the gate reads it. */
    Path newCandidate(byte[] wasm) throws IOException {
        Files.createDirectories(dir);
        return AtomicFiles.writeTemp(dir, wasm);
    }

    /** Gives a checked candidate the next number: its bytes become N.wasm, then N.json is written. */
    VersionRecord add(Path candidate, String sha256, long size, Instant pushed, String by,
            List<SimulationSummary> simulations) throws IOException {
        int n = nextNumber();
        VersionRecord record = new VersionRecord(n, sha256, size, pushed.toString(), by, simulations);
        AtomicFiles.moveInto(candidate, wasmFile(n));
        AtomicFiles.write(dir.resolve(n + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        return record;
    }

    private int nextNumber() throws IOException {
        int max = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                int dot = name.indexOf('.');
                if (dot > 0 && name.substring(0, dot).chars().allMatch(Character::isDigit) && dot <= 9) {
                    max = Math.max(max, Integer.parseInt(name.substring(0, dot)));
                }
            }
        }
        Optional<Active> active = active();
        if (active.isPresent()) {
            max = Math.max(max, active.get().version());
        }
        return max + 1;
    }

    /** The version last activated and its digest. */
    record Active(int version, String sha256) {}

    Optional<Active> active() throws IOException {
        try {
            String[] words = Files.readString(dir.resolve(ACTIVE_FILE), StandardCharsets.US_ASCII).trim().split("\\s+");
            if (words.length == 2) {
                return Optional.of(new Active(Integer.parseInt(words[0]), words[1]));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            // a damaged marker: as if none
        }
        return Optional.empty();
    }

    void setActive(int version, String sha256) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(ACTIVE_FILE), (version + " " + sha256 + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    void clearActive() throws IOException {
        AtomicFiles.delete(dir.resolve(ACTIVE_FILE));
    }

    /** Appends one event to history.jsonl (a line of a few hundred bytes: one append, one write). */
    void history(Map<String, Object> event) throws IOException {
        Files.createDirectories(dir);
        byte[] line = (JSON.writeValueAsString(event).replace("\n", " ") + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(dir.resolve(HISTORY_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            out.write(java.nio.ByteBuffer.wrap(line));
        }
    }

    /** Deletes the oldest versions beyond {@code keep}, never {@code protect}; returns their numbers. */
    List<Integer> prune(int keep, Integer protect) throws IOException {
        List<VersionRecord> all = list();
        List<Integer> pruned = new ArrayList<>();
        int excess = all.size() - keep;
        for (VersionRecord r : all) {
            if (excess <= 0) {
                break;
            }
            if (protect != null && r.version() == protect) {
                continue;
            }
            Files.deleteIfExists(dir.resolve(r.version() + ".json"));
            Files.deleteIfExists(wasmFile(r.version()));
            pruned.add(r.version());
            excess--;
        }
        return pruned;
    }

    /** Removes temporary files older than an hour (a crash's leftovers). */
    void sweep() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Instant cutoff = Instant.now().minus(STALE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, AtomicFiles.TEMP_PREFIX + "*")) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(file);
                    }
                } catch (NoSuchFileException e) {
                    // someone else swept it
                }
            }
        }
    }

    /**
     * Takes the guest's lock: other threads of this process and other processes (the admin
     * command beside the server) wait until it is closed.
     */
    Lock lock() throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(LOCK_FILE).toAbsolutePath();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new Lock(channel, channel.lock(), local);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    /** A held guest lock. */
    static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock fileLock;
        private final ReentrantLock local;

        private Lock(FileChannel channel, FileLock fileLock, ReentrantLock local) {
            this.channel = channel;
            this.fileLock = fileLock;
            this.local = local;
        }

        @Override
        public void close() throws IOException {
            try {
                fileLock.release();
                channel.close();
            } finally {
                local.unlock();
            }
        }
    }
}

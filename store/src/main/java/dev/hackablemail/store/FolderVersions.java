package dev.hackablemail.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions folder of one guest in a folder store (see {@link FolderStore} for the
 * layout). Only plugins that passed the gate get a number; numbers only grow, also after
 * pruning.
 */
final class FolderVersions {

    static final String DIR = "versions";
    static final String ACTIVE_FILE = "active";
    static final String HISTORY_FILE = "history.jsonl";
    static final String LOCK_FILE = ".lock";
    private static final Pattern RECORD = Pattern.compile("(\\d{1,9})\\.json");
    private static final Duration STALE = Duration.ofHours(1);
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    FolderVersions(Path guestDir) {
        this.dir = guestDir.resolve(DIR);
    }

    /** Every version kept, oldest first. */
    List<GuestStore.VersionRecord> list() throws IOException {
        List<GuestStore.VersionRecord> records = new ArrayList<>();
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
        records.sort(Comparator.comparingInt(GuestStore.VersionRecord::version));
        return records;
    }

    /** Version {@code n}'s record, if it is kept (and both its files are there). */
    Optional<GuestStore.VersionRecord> read(int n) throws IOException {
        try {
            GuestStore.VersionRecord r = JSON.readValue(Files.readAllBytes(dir.resolve(n + ".json")),
                    GuestStore.VersionRecord.class);
            return r.version() == n && Files.isRegularFile(wasmFile(n)) ? Optional.of(r) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    Path wasmFile(int n) {
        return dir.resolve(n + ".wasm");
    }

    Optional<byte[]> bytes(int n) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(wasmFile(n)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Where the files pushed with version {@code n} are kept, one folder per kind. */
    Path filesDir(int n) {
        return dir.resolve(n + ".files");
    }

    /** The files kept with version {@code n}, ordered by name. */
    List<GuestStore.Attachment> attachments(int n) throws IOException {
        List<GuestStore.Attachment> list = new ArrayList<>();
        for (String kind : GuestStore.Attachment.KINDS) {
            Path kindDir = filesDir(n).resolve(kind);
            if (!Files.isDirectory(kindDir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(kindDir)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (!name.startsWith(AtomicFiles.TEMP_PREFIX) && !name.startsWith(".")) {
                        list.add(new GuestStore.Attachment(name, kind, Files.readAllBytes(file)));
                    }
                }
            }
        }
        list.sort(Comparator.comparing(GuestStore.Attachment::name));
        return list;
    }

    /**
     * Writes version {@code n}: its bytes and attachments, then its record (a version counts
     * once its record is there).
     */
    void write(GuestStore.VersionRecord record, byte[] wasm, List<GuestStore.Attachment> attachments)
            throws IOException {
        Files.createDirectories(dir);
        deleteFiles(record.version()); // a crash's leftovers under this number
        for (GuestStore.Attachment a : attachments) {
            Path kindDir = filesDir(record.version()).resolve(a.kind());
            Files.createDirectories(kindDir);
            AtomicFiles.write(kindDir.resolve(a.name()), a.bytes());
        }
        AtomicFiles.write(wasmFile(record.version()), wasm);
        AtomicFiles.write(dir.resolve(record.version() + ".json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
    }

    int nextNumber() throws IOException {
        int max = 0;
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    int dot = name.indexOf('.');
                    if (dot > 0 && dot <= 9 && name.substring(0, dot).chars().allMatch(Character::isDigit)) {
                        max = Math.max(max, Integer.parseInt(name.substring(0, dot)));
                    }
                }
            }
        }
        Optional<GuestStore.ActiveVersion> active = marker();
        if (active.isPresent()) {
            max = Math.max(max, active.get().version());
        }
        return max + 1;
    }

    /** The version last activated and its digest, as the {@code active} marker says. */
    Optional<GuestStore.ActiveVersion> marker() throws IOException {
        try {
            String[] words = Files.readString(dir.resolve(ACTIVE_FILE), StandardCharsets.US_ASCII).trim()
                    .split("\\s+");
            if (words.length == 2) {
                return Optional.of(new GuestStore.ActiveVersion(Integer.parseInt(words[0]), words[1]));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            // a damaged marker: as if none
        }
        return Optional.empty();
    }

    void setMarker(int version, String sha256) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(ACTIVE_FILE), (version + " " + sha256 + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    void clearMarker() throws IOException {
        AtomicFiles.delete(dir.resolve(ACTIVE_FILE));
    }

    /** Appends one event to history.jsonl (a line of a few hundred bytes: one append, one write). */
    void history(Map<String, Object> event) throws IOException {
        Files.createDirectories(dir);
        byte[] line = (JSON.writeValueAsString(event).replace("\n", " ") + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(dir.resolve(HISTORY_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            out.write(ByteBuffer.wrap(line));
        }
    }

    /** The events of history.jsonl, oldest first; a torn last line is skipped. */
    List<Map<String, Object>> history() throws IOException {
        List<Map<String, Object>> events = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(HISTORY_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return events;
        }
        for (String line : lines) {
            if (!line.isBlank()) {
                try {
                    events.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
                } catch (IOException e) {
                    // a line torn by a crash
                }
            }
        }
        return events;
    }

    /** Deletes the oldest versions beyond {@code keep}, never {@code protect}; returns their numbers. */
    List<Integer> prune(int keep, int protect) throws IOException {
        List<GuestStore.VersionRecord> all = list();
        List<Integer> pruned = new ArrayList<>();
        int excess = all.size() - keep;
        for (GuestStore.VersionRecord r : all) {
            if (excess <= 0) {
                break;
            }
            if (r.version() == protect) {
                continue;
            }
            Files.deleteIfExists(dir.resolve(r.version() + ".json"));
            Files.deleteIfExists(wasmFile(r.version()));
            deleteFiles(r.version());
            pruned.add(r.version());
            excess--;
        }
        return pruned;
    }

    private void deleteFiles(int n) throws IOException {
        Path files = filesDir(n);
        if (!Files.isDirectory(files)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(files)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
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
    FileLocks.Held lock() throws IOException {
        return FileLocks.lock(dir.resolve(LOCK_FILE));
    }
}

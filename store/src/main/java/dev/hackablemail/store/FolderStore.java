package dev.hackablemail.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The guest store in a folder: nothing to install, one machine. The layout:
 *
 * <pre>
 * STORE/
 *   &lt;guest key&gt;/               one folder per address ({@link GuestKeys}: hex of the address,
 *                               or h-SHA256 for a long one)
 *     plugin.wasm             the active plugin (absent: mail passes unchanged); replaced atomically
 *     guest.json              {"address", "registered", "invited", "aliases"}
 *     token.sha256            lower-case hex SHA-256 of the guest's token
 *     replies.log             when the address's plugin last replied to each sender ({@link FolderLedger})
 *     invitations.log         when the address (as the signup address) last sent an invitation
 *     recent-mail.jsonl       what the filter did with each mail, and recent-mail.1.jsonl before it
 *                             ({@link FolderMailLog})
 *     versions/
 *       1.wasm  1.json        every accepted plugin: its bytes and its record ({@link FolderVersions})
 *       1.files/KIND/NAME     the files pushed with it (its author's simulations, mock host, cases)
 *       active                "N SHA256": the version last activated (gone after a removal)
 *       history.jsonl         the audit trail, one JSON line per event
 *       .lock                 held while a push, rollback or removal changes the folder
 *   signin/&lt;SHA-256 of a code&gt;   the one-time sign-in codes of the web console ({@link FolderSignInCodes})
 * </pre>
 */
public final class FolderStore implements GuestStore {

    static final String PLUGIN_FILE = "plugin.wasm";
    static final String GUEST_FILE = "guest.json";
    static final String TOKEN_FILE = "token.sha256";
    /** Tokens are 32 URL-safe characters; anything far longer is not one. */
    static final int MAX_TOKEN_LENGTH = 512;

    /** Made on first use: most filter runs never touch guest.json, and Jackson costs a cold start ~0.1 s. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Path root;
    /** The longest a ledger's lock is waited for. */
    private final Duration lockTimeout;

    public FolderStore(Path root) {
        this(root, StoreSetting.DEFAULT_TIMEOUT);
    }

    /** A folder store whose ledger locks are waited for at most {@code lockTimeout} (then an IOException). */
    public FolderStore(Path root, Duration lockTimeout) {
        this.root = root;
        this.lockTimeout = lockTimeout;
    }

    public Path root() {
        return root;
    }

    Path guestDir(String address) {
        return root.resolve(GuestKeys.of(address));
    }

    private void requireRoot() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "the plugin store folder is missing");
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Asked for every message, so the bytes are read again only when the file changed:
     * the same array (not to be modified) comes back while the file is the one read before
     * (see {@link ReadPlugin}), and a push, rollback or removal, which replaces the file,
     * shows on the next call.
     */
    @Override
    public Optional<byte[]> activePlugin(String address) throws IOException {
        requireRoot();
        Path file = guestDir(address).resolve(PLUGIN_FILE);
        try {
            FileStamp before = FileStamp.of(file);
            ReadPlugin known = readPlugins.get(file);
            if (known != null && known.stamp().equals(before)) {
                return Optional.of(known.bytes());
            }
            byte[] bytes = Files.readAllBytes(file);
            FileStamp after = FileStamp.of(file);
            if (after.equals(before) && after.settled(System.currentTimeMillis())) {
                readPlugins.put(file, new ReadPlugin(after, bytes));
            } else {
                readPlugins.remove(file);
            }
            return Optional.of(bytes);
        } catch (NoSuchFileException e) { // only a missing file is "no plugin"; any other failure is an error
            readPlugins.remove(file);
            return Optional.empty();
        }
    }

    /** Plugins kept read at most (the least recently used go first); the filter keeps as many compiled. */
    static final int READ_PLUGINS = 64;

    private final Map<Path, ReadPlugin> readPlugins = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Path, ReadPlugin> eldest) {
                    return size() > READ_PLUGINS;
                }
            });

    /** A plugin file's bytes as read, and which file they came from. */
    private record ReadPlugin(FileStamp stamp, byte[] bytes) {}

    /**
     * Which file a path named, and which version of it: device and inode, size, modification
     * and change time. A push, rollback or removal renames a new file over plugin.wasm (a new
     * inode); a file rewritten in place or given an old modification time on purpose still
     * gets a new change time, which no program can set. Only a file whose change time is
     * {@value #SETTLED_MILLIS} ms in the past when read is kept, so that a later change has a
     * later change time even on a file system with coarse timestamps.
     */
    record FileStamp(Object device, Object inode, long size, FileTime modified, FileTime changed) {
        static final long SETTLED_MILLIS = 2000;

        static FileStamp of(Path file) throws IOException {
            Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
            return new FileStamp(a.get("dev"), a.get("ino"), (Long) a.get("size"),
                    (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"));
        }

        boolean settled(long nowMillis) {
            return changed.toMillis() < nowMillis - SETTLED_MILLIS;
        }
    }

    @Override
    public LedgerClaim claim(String address, Ledger ledger, String other, Duration period, Instant now)
            throws IOException {
        return new FolderLedger(guestDir(address).resolve(ledger.id() + ".log"), lockTimeout).claim(GuestKeys.of(other), period,
                now);
    }

    @Override
    public Optional<Instant> answeredWithin(String address, Ledger ledger, String other, Duration period, Instant now)
            throws IOException {
        Long last = ledgerEntries(address, ledger).get(GuestKeys.of(other));
        return last == null || Instant.ofEpochMilli(last).plus(period).isBefore(now) ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(last));
    }

    /** The ledger's entries: other guest key → epoch millis (for the migration). */
    Map<String, Long> ledgerEntries(String address, Ledger ledger) throws IOException {
        return new FolderLedger(guestDir(address).resolve(ledger.id() + ".log"), lockTimeout).entries();
    }

    @Override
    public void register(String address, String token, Instant now) throws IOException {
        Path dir = guestDir(address);
        Files.createDirectories(dir);
        Optional<Guest> before = guest(address);
        Guest guest = new Guest(before.map(Guest::address).orElse(address),
                before.map(Guest::registered).filter(r -> r != null).orElse(now), now,
                before.map(Guest::aliases).orElse(List.of()));
        AtomicFiles.write(dir.resolve(TOKEN_FILE), (Digests.sha256Hex(token) + "\n").getBytes(StandardCharsets.US_ASCII));
        writeGuest(dir, guest);
    }

    private static void writeGuest(Path dir, Guest guest) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("address", guest.address());
        if (guest.registered() != null) {
            node.put("registered", guest.registered().toString());
        }
        if (guest.invited() != null) {
            node.put("invited", guest.invited().toString());
        }
        ArrayNode aliases = node.putArray("aliases");
        guest.aliases().forEach(aliases::add);
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(GUEST_FILE), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }

    @Override
    public Optional<Guest> guest(String address) throws IOException {
        return readGuest(guestDir(address));
    }

    private static Optional<Guest> readGuest(Path dir) throws IOException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(Files.readAllBytes(dir.resolve(GUEST_FILE)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String address = node == null ? null : node.path("address").asText(null);
        if (address == null || !GuestKeys.of(address).equals(dir.getFileName().toString())) {
            return Optional.empty(); // not this folder's record
        }
        List<String> aliases = new ArrayList<>();
        node.path("aliases").forEach(a -> aliases.add(a.asText()));
        return Optional.of(new Guest(address, instant(node, "registered"), instant(node, "invited"), aliases));
    }

    private static Instant instant(JsonNode node, String field) {
        String text = node.path(field).asText(null);
        return text == null ? null : Instant.parse(text);
    }

    /** Every guest with a record, in no particular order (for the migration). */
    List<String> addresses() throws IOException {
        requireRoot();
        List<String> addresses = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                readGuest(dir).ifPresent(g -> addresses.add(g.address()));
            }
        }
        return addresses;
    }

    /** The stored SHA-256 of the guest's token, if it has one (for the migration). */
    Optional<String> tokenHash(String address) throws IOException {
        try {
            return Optional.of(Files.readString(guestDir(address).resolve(TOKEN_FILE), StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Finds the guest by scanning the guest folders for the token's hash (a few thousand
     * small files at company scale, read in milliseconds), each compared in constant time.
     */
    @Override
    public Optional<String> addressOfToken(String token) throws IOException {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String wanted = Digests.sha256Hex(token.strip());
        requireRoot();
        try (DirectoryStream<Path> guests = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : guests) {
                String stored;
                try {
                    stored = Files.readString(dir.resolve(TOKEN_FILE), StandardCharsets.US_ASCII).trim();
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (Digests.equal(stored, wanted)) {
                    return readGuest(dir).map(Guest::address);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean revokeToken(String address) throws IOException {
        return AtomicFiles.delete(guestDir(address).resolve(TOKEN_FILE));
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block
    public void setAliases(String address, List<String> aliases) throws IOException {
        Path dir = guestDir(address);
        try (FileLocks.Held lock = new FolderVersions(dir).lock()) {
            Guest before = guest(address).orElse(new Guest(address, null, null, List.of()));
            writeGuest(dir, new Guest(before.address(), before.registered(), before.invited(), aliases));
        }
    }

    @Override
    public List<String> addressesOf(String recipient) throws IOException {
        Set<String> addresses = new LinkedHashSet<>();
        addresses.add(recipient);
        guest(recipient).ifPresent(g -> addresses.addAll(g.aliases()));
        return List.copyOf(addresses);
    }

    @Override
    public List<VersionRecord> versions(String address) throws IOException {
        return new FolderVersions(guestDir(address)).list();
    }

    @Override
    public Optional<VersionRecord> version(String address, int n) throws IOException {
        return n < 1 ? Optional.empty() : new FolderVersions(guestDir(address)).read(n);
    }

    @Override
    public List<Attachment> attachments(String address, int n) throws IOException {
        FolderVersions versions = new FolderVersions(guestDir(address));
        return n < 1 || versions.read(n).isEmpty() ? List.of() : versions.attachments(n);
    }

    @Override
    public Optional<byte[]> versionBytes(String address, int n) throws IOException {
        FolderVersions versions = new FolderVersions(guestDir(address));
        return n < 1 || versions.read(n).isEmpty() ? Optional.empty() : versions.bytes(n);
    }

    /** The version in plugin.wasm, as far as the versions folder knows it. */
    @Override
    public ActiveVersion active(String address) throws IOException {
        Path dir = guestDir(address);
        byte[] plugin;
        try {
            plugin = Files.readAllBytes(dir.resolve(PLUGIN_FILE));
        } catch (NoSuchFileException e) {
            return ActiveVersion.NONE;
        }
        String sha256 = Digests.sha256Hex(plugin);
        FolderVersions versions = new FolderVersions(dir);
        Optional<ActiveVersion> marker = versions.marker();
        if (marker.isPresent() && marker.get().sha256().equals(sha256)) {
            return marker.get();
        }
        Integer match = null;
        for (VersionRecord r : versions.list()) {
            if (r.sha256().equals(sha256)) {
                match = r.version();
            }
        }
        return new ActiveVersion(match, sha256);
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block
    public PushResult push(String address, byte[] wasm, List<Attachment> attachments, Instant pushed, String by,
            List<SimulationSummary> simulations, int keep) throws IOException {
        Path dir = guestDir(address);
        FolderVersions versions = new FolderVersions(dir);
        String sha256 = Digests.sha256Hex(wasm);
        try (FileLocks.Held lock = versions.lock()) {
            versions.sweep();
            ActiveVersion current = active(address);
            if (current.version() != null && sha256.equals(current.sha256())
                    && Attachment.same(attachments, versions.attachments(current.version()))) {
                return new PushResult(versions.read(current.version()).orElseThrow(), true, List.of());
            }
            if (guest(address).isEmpty()) {
                writeGuest(dir, new Guest(address, null, null, List.of()));
            }
            VersionRecord record = new VersionRecord(versions.nextNumber(), sha256, wasm.length, pushed.toString(), by,
                    simulations);
            versions.write(record, wasm, attachments);
            AtomicFiles.write(dir.resolve(PLUGIN_FILE), wasm);
            versions.setMarker(record.version(), sha256);
            return new PushResult(record, false, versions.prune(keep, record.version()));
        }
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block
    public boolean activate(String address, int n, String sha256) throws IOException {
        Path dir = guestDir(address);
        FolderVersions versions = new FolderVersions(dir);
        try (FileLocks.Held lock = versions.lock()) {
            Optional<VersionRecord> record = versions.read(n);
            Optional<byte[]> wasm = versions.bytes(n);
            if (record.isEmpty() || wasm.isEmpty() || !record.get().sha256().equals(sha256)
                    || !Digests.sha256Hex(wasm.get()).equals(sha256)) {
                return false;
            }
            AtomicFiles.write(dir.resolve(PLUGIN_FILE), wasm.get());
            versions.setMarker(n, sha256);
            return true;
        }
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block
    public ActiveVersion deactivate(String address) throws IOException {
        Path dir = guestDir(address);
        FolderVersions versions = new FolderVersions(dir);
        if (!Files.isDirectory(dir)) {
            return ActiveVersion.NONE;
        }
        try (FileLocks.Held lock = versions.lock()) {
            ActiveVersion before = active(address);
            AtomicFiles.delete(dir.resolve(PLUGIN_FILE));
            versions.clearMarker();
            return before;
        }
    }

    @Override
    public void audit(String address, Map<String, Object> event) throws IOException {
        new FolderVersions(guestDir(address)).history(event);
    }

    @Override
    public List<Map<String, Object>> auditTrail(String address) throws IOException {
        return new FolderVersions(guestDir(address)).history();
    }

    /**
     * Everything about one guest, for the migration. A plugin.wasm that no kept version
     * matches (installed by hand) becomes a version of its own, so that it stays active.
     */
    GuestExport export(String address) throws IOException {
        Guest guest = guest(address).orElseThrow(() -> new NoSuchFileException(guestDir(address).toString(), null,
                "no guest record"));
        FolderVersions versions = new FolderVersions(guestDir(address));
        List<GuestExport.Version> kept = new ArrayList<>();
        for (VersionRecord r : versions.list()) {
            Optional<byte[]> wasm = versions.bytes(r.version());
            if (wasm.isPresent()) {
                kept.add(new GuestExport.Version(r, wasm.get(), versions.attachments(r.version())));
            }
        }
        ActiveVersion active = active(address);
        if (active.any() && active.version() == null) {
            byte[] wasm = activePlugin(address).orElseThrow();
            int n = versions.nextNumber();
            kept.add(new GuestExport.Version(new VersionRecord(n, active.sha256(), wasm.length,
                    Instant.now().toString(), "migration", List.of()), wasm));
            active = new ActiveVersion(n, active.sha256());
        }
        Map<Ledger, Map<String, Long>> ledgers = new java.util.EnumMap<>(Ledger.class);
        for (Ledger ledger : Ledger.values()) {
            ledgers.put(ledger, ledgerEntries(address, ledger));
        }
        return new GuestExport(guest, tokenHash(address).orElse(null), kept, active, auditTrail(address), ledgers);
    }

    @Override
    public int guestCount() throws IOException {
        return guestKeys().size();
    }

    /**
     * Reads only the page's guest.json files: the others are ordered by the address their
     * hex folder name spells (lower-cased, as PostgreSQL's {@code lower(address)}).
     */
    @Override
    public List<Guest> guests(int skip, int limit) throws IOException {
        List<String[]> keys = guestKeys();
        List<Guest> page = new ArrayList<>();
        for (String[] key : keys.subList(Math.min(skip, keys.size()), Math.min(keys.size(), skip + limit))) {
            readGuest(root.resolve(key[1])).ifPresent(page::add);
        }
        return page;
    }

    /** Each guest's {lower-cased address, folder name}, ordered by address. */
    private List<String[]> guestKeys() throws IOException {
        requireRoot();
        List<String[]> keys = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!Files.isRegularFile(dir.resolve(GUEST_FILE))) {
                    continue;
                }
                String address = null;
                if (name.startsWith(GuestKeys.HASHED_PREFIX)) {
                    address = readGuest(dir).map(g -> g.address().toLowerCase(java.util.Locale.ROOT)).orElse(null);
                } else {
                    try {
                        address = new String(java.util.HexFormat.of().parseHex(name), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        // not a guest's folder
                    }
                }
                if (address != null) {
                    keys.add(new String[] {address, name});
                }
            }
        }
        keys.sort(java.util.Comparator.comparing((String[] k) -> k[0]));
        return keys;
    }

    @Override
    public void saveSignInCode(String address, String code, Instant now, Duration lifetime) throws IOException {
        requireRoot();
        new FolderSignInCodes(root).save(address, code, now, now.plus(lifetime));
    }

    @Override
    public Optional<String> useSignInCode(String code, Instant now) throws IOException {
        requireRoot();
        return new FolderSignInCodes(root).use(code, now);
    }

    @Override
    public void recordMail(String address, MailRecord mail) throws IOException {
        new FolderMailLog(guestDir(address)).append(mail);
    }

    @Override
    public List<MailRecord> recentMail(String address, int skip, int limit) throws IOException {
        return new FolderMailLog(guestDir(address)).newest(skip, limit);
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public void close() {
        // nothing held between calls
    }

    @Override
    public String toString() {
        return describe();
    }
}

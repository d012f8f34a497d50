package dev.hackablemail.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The guest store in PostgreSQL, shared by every mail server and push service (schema:
 * {@link PostgresSchema}). What makes it safe to share:
 *
 * <ul>
 *   <li>a push is one transaction: the new version and its activation, or nothing; a
 *       rollback and a removal are one statement or transaction each;</li>
 *   <li>per message the filter asks one indexed SELECT (the active digest, by primary key)
 *       and runs the plugin from its local cache folder, {@code CACHE/plugins/<sha256>.wasm};
 *       only a digest it has not seen is downloaded, so a push is used by every server on
 *       its next message;</li>
 *   <li>the reply ledger is claimed by one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}
 *       that only succeeds when the period has passed: the row lock makes two servers
 *       racing on one sender send one reply;</li>
 *   <li>a token is found by its SHA-256 (unique index), then compared in constant time.</li>
 * </ul>
 */
public final class PostgresStore implements GuestStore {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<List<SimulationSummary>> SUMMARIES = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> EVENT = new TypeReference<>() {};

    private final Connections connections;
    private final Path cache;
    private final String description;
    private volatile boolean migrated;

    PostgresStore(Connections connections, Path cache, String description) {
        this.connections = connections;
        this.cache = cache;
        this.description = description;
    }

    /** Creates or migrates the schema now (else it happens on first use); returns the version it was at. */
    public int migrate() throws IOException {
        int before = call(PostgresSchema::migrate);
        migrated = true;
        return before;
    }

    /** Runs work on a connection of a migrated store; SQL failures become IOExceptions naming the store. */
    private <T> T call(Connections.Work<T> work) throws IOException {
        try {
            return connections.with(c -> {
                if (!migrated) {
                    PostgresSchema.migrate(c);
                    migrated = true;
                }
                return work.run(c);
            });
        } catch (SQLException e) {
            throw new IOException("the store " + description + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    private <T> T transaction(Connections.Work<T> work) throws IOException {
        return call(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public Optional<byte[]> activePlugin(String address) throws IOException {
        return activePlugin(address, true);
    }

    private Optional<byte[]> activePlugin(String address, boolean again) throws IOException {
        String key = GuestKeys.of(address);
        Optional<String> digest = call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT active_sha256 FROM hackable_guests WHERE guest_key = ?")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
        if (digest.isEmpty()) {
            return Optional.empty();
        }
        byte[] known = readPlugins.get(digest.get());
        if (known != null) {
            return Optional.of(known);
        }
        Path cached = cache.resolve("plugins").resolve(digest.get() + ".wasm");
        try {
            byte[] wasm = Files.readAllBytes(cached);
            readPlugins.put(digest.get(), wasm);
            return Optional.of(wasm);
        } catch (NoSuchFileException e) {
            // first message with this version on this machine: download it below
        }
        byte[] wasm = call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT wasm FROM hackable_versions WHERE guest_key = ? AND sha256 = ? LIMIT 1")) {
                s.setString(1, key);
                s.setString(2, digest.get());
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getBytes(1) : null;
                }
            }
        });
        if (wasm == null) {
            if (again) {
                return activePlugin(address, false); // pruned between the two reads: a newer one is active
            }
            throw new IOException("the store " + description + ": " + address + "'s active plugin " + digest.get()
                    + " is not among its versions");
        }
        if (!Digests.sha256Hex(wasm).equals(digest.get())) {
            throw new IOException("the store " + description + ": " + address + "'s active plugin does not match its "
                    + "digest " + digest.get());
        }
        Files.createDirectories(cached.getParent());
        AtomicFiles.write(cached, wasm);
        readPlugins.put(digest.get(), wasm);
        return Optional.of(wasm);
    }

    /** Plugins kept read at most (the least recently used go first); the filter keeps as many compiled. */
    static final int READ_PLUGINS = 64;

    /**
     * The plugins last read, by digest: a digest names its bytes, so a message for an
     * unchanged plugin reads no file and gets the same array (not to be modified) again.
     */
    private final Map<String, byte[]> readPlugins = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > READ_PLUGINS;
                }
            });

    @Override
    public LedgerClaim claim(String address, Ledger ledger, String other, Duration period, Instant now)
            throws IOException {
        String key = GuestKeys.of(address);
        String otherKey = GuestKeys.of(other);
        long at = now.toEpochMilli();
        return ledgerTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO hackable_ledger AS l (guest_key, ledger, other_key, sent_at) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (guest_key, ledger, other_key) DO UPDATE "
                            + "SET sent_at = EXCLUDED.sent_at, previous = l.sent_at "
                            + "WHERE l.sent_at + ? < EXCLUDED.sent_at RETURNING previous")) {
                s.setString(1, key);
                s.setString(2, ledger.id());
                s.setString(3, otherKey);
                s.setLong(4, at);
                s.setLong(5, period.toMillis());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        forgetExpired(c, key, ledger, at - period.toMillis());
                        return Claims.granted(() -> release(key, ledger, otherKey, at));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT sent_at FROM hackable_ledger WHERE guest_key = ? AND ledger = ? AND other_key = ?")) {
                s.setString(1, key);
                s.setString(2, ledger.id());
                s.setString(3, otherKey);
                try (ResultSet r = s.executeQuery()) {
                    return Claims.refused(r.next() ? Instant.ofEpochMilli(r.getLong(1)) : null);
                }
            }
        });
    }

    @Override
    public Optional<Instant> answeredWithin(String address, Ledger ledger, String other, Duration period, Instant now)
            throws IOException {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT sent_at FROM hackable_ledger "
                    + "WHERE guest_key = ? AND ledger = ? AND other_key = ? AND sent_at + ? >= ?")) {
                s.setString(1, GuestKeys.of(address));
                s.setString(2, ledger.id());
                s.setString(3, GuestKeys.of(other));
                s.setLong(4, period.toMillis());
                s.setLong(5, now.toEpochMilli());
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(Instant.ofEpochMilli(r.getLong(1))) : Optional.<Instant>empty();
                }
            }
        });
    }

    /**
     * Deletes the guest's rows of this ledger that a claim would replace anyway (older than
     * the period), so the table holds one row per sender of the last period, as the folder
     * store's ledger file does. Done on granted claims only: a refused claim writes nothing.
     */
    private static void forgetExpired(Connection c, String key, Ledger ledger, long oldest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM hackable_ledger WHERE guest_key = ? AND ledger = ? AND sent_at < ?")) {
            s.setString(1, key);
            s.setString(2, ledger.id());
            s.setLong(3, oldest);
            s.executeUpdate();
        }
    }

    /**
     * A ledger write: one transaction that does not wait for its WAL flush. The row lock
     * still makes concurrent claims see each other; what a database crash may lose is the
     * last fraction of a second of claims, i.e. at worst one more auto-reply to a sender,
     * the folder store's trade-off too (it does not fsync its ledgers), for a fraction of
     * the cost of a disk flush per reply.
     */
    private <T> T ledgerTransaction(Connections.Work<T> work) throws IOException {
        return transaction(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("SET LOCAL synchronous_commit TO off");
            }
            return work.run(c);
        });
    }

    /** Puts the row back as it was before the claim, unless a later claim replaced it. */
    private void release(String key, Ledger ledger, String otherKey, long claimed) throws IOException {
        ledgerTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM hackable_ledger WHERE guest_key = ? "
                    + "AND ledger = ? AND other_key = ? AND sent_at = ? AND previous IS NULL");
                    PreparedStatement restore = c.prepareStatement("UPDATE hackable_ledger SET sent_at = previous, "
                            + "previous = NULL WHERE guest_key = ? AND ledger = ? AND other_key = ? AND sent_at = ?")) {
                for (PreparedStatement s : List.of(delete, restore)) {
                    s.setString(1, key);
                    s.setString(2, ledger.id());
                    s.setString(3, otherKey);
                    s.setLong(4, claimed);
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void register(String address, String token, Instant now) throws IOException {
        update("INSERT INTO hackable_guests (guest_key, address, registered, invited, token_sha256) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guest_key) DO UPDATE SET "
                + "registered = coalesce(hackable_guests.registered, EXCLUDED.registered), "
                + "invited = EXCLUDED.invited, token_sha256 = EXCLUDED.token_sha256",
                GuestKeys.of(address), address, Timestamp.from(now), Timestamp.from(now), Digests.sha256Hex(token));
    }

    @Override
    public Optional<Guest> guest(String address) throws IOException {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT address, registered, invited, aliases "
                    + "FROM hackable_guests WHERE guest_key = ?")) {
                s.setString(1, GuestKeys.of(address));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<Guest>empty();
                    }
                    return Optional.of(new Guest(r.getString(1), instant(r.getTimestamp(2)), instant(r.getTimestamp(3)),
                            strings(r.getArray(4))));
                }
            }
        });
    }

    @Override
    public Optional<String> addressOfToken(String token) throws IOException {
        if (token == null || token.isBlank() || token.length() > FolderStore.MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String wanted = Digests.sha256Hex(token.strip());
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT address, token_sha256 FROM hackable_guests WHERE token_sha256 = ?")) {
                s.setString(1, wanted);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() && Digests.equal(r.getString(2), wanted) ? Optional.of(r.getString(1))
                            : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public boolean revokeToken(String address) throws IOException {
        return update("UPDATE hackable_guests SET token_sha256 = NULL WHERE guest_key = ? AND token_sha256 IS NOT NULL",
                GuestKeys.of(address)) > 0;
    }

    @Override
    public void setAliases(String address, List<String> aliases) throws IOException {
        call(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO hackable_guests (guest_key, address, aliases) "
                    + "VALUES (?, ?, ?) ON CONFLICT (guest_key) DO UPDATE SET aliases = EXCLUDED.aliases")) {
                s.setString(1, GuestKeys.of(address));
                s.setString(2, address);
                s.setArray(3, c.createArrayOf("text", aliases.toArray()));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public List<String> addressesOf(String recipient) throws IOException {
        Set<String> addresses = new LinkedHashSet<>();
        addresses.add(recipient);
        guest(recipient).ifPresent(g -> addresses.addAll(g.aliases()));
        return List.copyOf(addresses);
    }

    private static final String VERSION_COLUMNS = "version, sha256, size, pushed, pushed_by, simulations";

    @Override
    public List<VersionRecord> versions(String address) throws IOException {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM hackable_versions WHERE guest_key = ? ORDER BY version")) {
                s.setString(1, GuestKeys.of(address));
                List<VersionRecord> list = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        list.add(record(r));
                    }
                }
                return list;
            }
        });
    }

    @Override
    public Optional<VersionRecord> version(String address, int n) throws IOException {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM hackable_versions WHERE guest_key = ? AND version = ?")) {
                s.setString(1, GuestKeys.of(address));
                s.setInt(2, n);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(record(r)) : Optional.<VersionRecord>empty();
                }
            }
        });
    }

    @Override
    public List<Attachment> attachments(String address, int n) throws IOException {
        return call(c -> attachmentsIn(c, GuestKeys.of(address), n));
    }

    private static List<Attachment> attachmentsIn(Connection c, String key, int n) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name, kind, content FROM hackable_attachments "
                + "WHERE guest_key = ? AND version = ? ORDER BY name")) {
            s.setString(1, key);
            s.setInt(2, n);
            List<Attachment> list = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    list.add(new Attachment(r.getString(1), r.getString(2), r.getBytes(3)));
                }
            }
            return list;
        }
    }

    @Override
    public Optional<byte[]> versionBytes(String address, int n) throws IOException {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT wasm FROM hackable_versions WHERE guest_key = ? AND version = ?")) {
                s.setString(1, GuestKeys.of(address));
                s.setInt(2, n);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    @Override
    public ActiveVersion active(String address) throws IOException {
        return call(c -> active(c, GuestKeys.of(address), false));
    }

    private static ActiveVersion active(Connection c, String key, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT active_version, active_sha256 FROM hackable_guests "
                + "WHERE guest_key = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || r.getString(2) == null) {
                    return ActiveVersion.NONE;
                }
                return new ActiveVersion(r.getInt(1), r.getString(2));
            }
        }
    }

    @Override
    public PushResult push(String address, byte[] wasm, List<Attachment> attachments, Instant pushed, String by,
            List<SimulationSummary> simulations, int keep) throws IOException {
        String key = GuestKeys.of(address);
        String sha256 = Digests.sha256Hex(wasm);
        return transaction(c -> {
            execute(c, "INSERT INTO hackable_guests (guest_key, address) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    key, address);
            int next;
            ActiveVersion current;
            try (PreparedStatement s = c.prepareStatement("SELECT next_version, active_version, active_sha256 "
                    + "FROM hackable_guests WHERE guest_key = ? FOR UPDATE")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    next = r.getInt(1);
                    current = r.getString(3) == null ? ActiveVersion.NONE
                            : new ActiveVersion(r.getInt(2), r.getString(3));
                }
            }
            if (current.version() != null && sha256.equals(current.sha256())) {
                Optional<VersionRecord> same = versionIn(c, key, current.version());
                if (same.isPresent() && Attachment.same(attachments, attachmentsIn(c, key, current.version()))) {
                    return new PushResult(same.get(), true, List.of());
                }
            }
            VersionRecord record = new VersionRecord(next, sha256, wasm.length, pushed.toString(), by, simulations);
            insertVersion(c, key, record, wasm);
            insertAttachments(c, key, next, attachments);
            execute(c, "UPDATE hackable_guests SET next_version = ?, active_version = ?, active_sha256 = ? "
                    + "WHERE guest_key = ?", next + 1, next, sha256, key);
            List<Integer> pruned = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("DELETE FROM hackable_versions WHERE guest_key = ? AND "
                    + "version IN (SELECT version FROM hackable_versions WHERE guest_key = ? AND version <> ? "
                    + "ORDER BY version LIMIT greatest(0, (SELECT count(*) FROM hackable_versions WHERE "
                    + "guest_key = ?) - ?)) RETURNING version")) {
                s.setString(1, key);
                s.setString(2, key);
                s.setInt(3, next);
                s.setString(4, key);
                s.setInt(5, keep);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        pruned.add(r.getInt(1));
                    }
                }
            }
            pruned.sort(null);
            return new PushResult(record, false, pruned);
        });
    }

    private static void insertAttachments(Connection c, String key, int version, List<Attachment> attachments)
            throws SQLException {
        if (attachments.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO hackable_attachments (guest_key, version, "
                + "name, kind, content) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Attachment a : attachments) {
                s.setString(1, key);
                s.setInt(2, version);
                s.setString(3, a.name());
                s.setString(4, a.kind());
                s.setBytes(5, a.bytes());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void insertVersion(Connection c, String key, VersionRecord record, byte[] wasm)
            throws SQLException, IOException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO hackable_versions (guest_key, version, sha256, "
                + "size, pushed, pushed_by, simulations, wasm) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?) "
                + "ON CONFLICT DO NOTHING")) {
            s.setString(1, key);
            s.setInt(2, record.version());
            s.setString(3, record.sha256());
            s.setLong(4, record.size());
            s.setString(5, record.pushed());
            s.setString(6, record.by());
            s.setString(7, JSON.writeValueAsString(record.simulations()));
            s.setBytes(8, wasm);
            s.executeUpdate();
        }
    }

    private static Optional<VersionRecord> versionIn(Connection c, String key, int n) throws SQLException,
            IOException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + VERSION_COLUMNS
                + " FROM hackable_versions WHERE guest_key = ? AND version = ?")) {
            s.setString(1, key);
            s.setInt(2, n);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(record(r)) : Optional.empty();
            }
        }
    }

    @Override
    public boolean activate(String address, int n, String sha256) throws IOException {
        String key = GuestKeys.of(address);
        return update("UPDATE hackable_guests SET active_version = ?, active_sha256 = ? WHERE guest_key = ? AND "
                + "EXISTS (SELECT 1 FROM hackable_versions WHERE guest_key = ? AND version = ? AND sha256 = ?)",
                n, sha256, key, key, n, sha256) > 0;
    }

    @Override
    public ActiveVersion deactivate(String address) throws IOException {
        String key = GuestKeys.of(address);
        return transaction(c -> {
            ActiveVersion before = active(c, key, true);
            execute(c, "UPDATE hackable_guests SET active_version = NULL, active_sha256 = NULL WHERE guest_key = ?",
                    key);
            return before;
        });
    }

    @Override
    public void audit(String address, Map<String, Object> event) throws IOException {
        update("INSERT INTO hackable_audit (guest_key, event) VALUES (?, ?::jsonb)", GuestKeys.of(address),
                JSON.writeValueAsString(event));
    }

    @Override
    public List<Map<String, Object>> auditTrail(String address) throws IOException {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT event FROM hackable_audit WHERE guest_key = ? ORDER BY id")) {
                s.setString(1, GuestKeys.of(address));
                List<Map<String, Object>> events = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        events.add(JSON.readValue(r.getString(1), EVENT));
                    }
                }
                return events;
            }
        });
    }

    /**
     * Writes one guest exported from a folder store, in one transaction; what is there
     * already is kept (so a second run changes nothing). Returns whether anything was new.
     */
    boolean importGuest(GuestExport export) throws IOException {
        String key = GuestKeys.of(export.guest().address());
        return transaction(c -> {
            Guest g = export.guest();
            int changed = execute(c, "INSERT INTO hackable_guests (guest_key, address, registered, invited, "
                    + "token_sha256, aliases) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", key, g.address(),
                    timestamp(g.registered()), timestamp(g.invited()), export.tokenSha256(),
                    c.createArrayOf("text", g.aliases().toArray()));
            boolean fresh = changed > 0;
            int maxVersion = 0;
            for (GuestExport.Version v : export.versions()) {
                insertVersion(c, key, v.record(), v.wasm());
                insertAttachments(c, key, v.record().version(), v.attachments());
                maxVersion = Math.max(maxVersion, v.record().version());
            }
            if (fresh) {
                ActiveVersion a = export.active();
                execute(c, "UPDATE hackable_guests SET next_version = ?, active_version = ?, active_sha256 = ? "
                        + "WHERE guest_key = ?", Math.max(maxVersion, a.version() == null ? 0 : a.version()) + 1,
                        a.version(), a.version() == null ? null : a.sha256(), key);
                for (Map<String, Object> event : export.audit()) {
                    execute(c, "INSERT INTO hackable_audit (guest_key, event) VALUES (?, ?::jsonb)", key,
                            JSON.writeValueAsString(event));
                }
            }
            for (Map.Entry<Ledger, Map<String, Long>> ledger : export.ledgers().entrySet()) {
                for (Map.Entry<String, Long> e : ledger.getValue().entrySet()) {
                    execute(c, "INSERT INTO hackable_ledger (guest_key, ledger, other_key, sent_at) "
                            + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", key, ledger.getKey().id(), e.getKey(),
                            e.getValue());
                }
            }
            return fresh;
        });
    }

    @Override
    public int guestCount() throws IOException {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM hackable_guests");
                    ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        });
    }

    @Override
    public List<Guest> guests(int skip, int limit) throws IOException {
        return call(c -> {
            List<Guest> guests = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT address, registered, invited, aliases "
                    + "FROM hackable_guests ORDER BY lower(address) OFFSET ? LIMIT ?")) {
                s.setInt(1, skip);
                s.setInt(2, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        guests.add(new Guest(r.getString(1), instant(r.getTimestamp(2)),
                                instant(r.getTimestamp(3)), strings(r.getArray(4))));
                    }
                }
            }
            return guests;
        });
    }

    @Override
    public void saveSignInCode(String address, String code, Instant now, Duration lifetime) throws IOException {
        call(c -> PostgresSignInCodes.save(c, address, code, now, now.plus(lifetime)));
    }

    @Override
    public Optional<String> useSignInCode(String code, Instant now) throws IOException {
        return call(c -> PostgresSignInCodes.use(c, code, now));
    }

    @Override
    public void recordMail(String address, MailRecord mail) throws IOException {
        call(c -> PostgresMailLog.append(c, GuestKeys.of(address), mail));
    }

    @Override
    public List<MailRecord> recentMail(String address, int skip, int limit) throws IOException {
        return call(c -> PostgresMailLog.newest(c, GuestKeys.of(address), skip, limit));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        connections.close();
    }

    @Override
    public String toString() {
        return describe();
    }

    private int update(String sql, Object... parameters) throws IOException {
        return call(c -> execute(c, sql, parameters));
    }

    private static int execute(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                if (p == null) {
                    s.setNull(i + 1, Types.NULL);
                } else if (p instanceof Array) {
                    s.setArray(i + 1, (Array) p);
                } else {
                    s.setObject(i + 1, p);
                }
            }
            return s.executeUpdate();
        }
    }

    private static VersionRecord record(ResultSet r) throws SQLException, IOException {
        return new VersionRecord(r.getInt(1), r.getString(2), r.getLong(3), r.getString(4), r.getString(5),
                JSON.readValue(r.getString(6), SUMMARIES));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<String> list = new ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
            list.add(String.valueOf(o));
        }
        return list;
    }
}

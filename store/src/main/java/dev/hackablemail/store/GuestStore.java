package dev.hackablemail.store;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guest store: everything the filter, the daemon and the push service keep about a
 * guest, in a folder ({@link FolderStore}, the default) or in PostgreSQL
 * ({@link PostgresStore}, for several mail servers). Nothing outside this module knows a
 * file or a table; {@link StoreSetting#open} picks the implementation.
 *
 * <p>Addresses compare without regard to case ({@link GuestKeys}). Every method may throw
 * {@link IOException} when the store cannot be reached or read: a caller handling a mail
 * must then keep the mail and retry (never take it for "no plugin").
 */
public interface GuestStore extends AutoCloseable {

    // ---- what the filter (and the daemon) need per message ----

    /** The active plugin of {@code address}; empty when it has none. */
    Optional<byte[]> activePlugin(String address) throws IOException;

    /**
     * Claims the one answer {@code address} may send to {@code other} in {@code ledger}
     * within {@code period}: atomically across threads, processes and (PostgreSQL) servers,
     * so that of two concurrent deliveries one sends and the other is suppressed. The
     * claim stands unless {@link LedgerClaim#release()} is called (the send failed).
     */
    LedgerClaim claim(String address, Ledger ledger, String other, Duration period, Instant now) throws IOException;

    /**
     * When {@code address} last answered {@code other} in {@code ledger}, if that was within
     * {@code period} before {@code now}: what {@link #claim} would be refused with, read
     * without claiming or writing anything (for {@code hackable-email try}, which sends
     * nothing). Empty: a claim now would be granted.
     */
    Optional<Instant> answeredWithin(String address, Ledger ledger, String other, Duration period, Instant now)
            throws IOException;

    /**
     * Registers {@code address} as a guest (or renews its invitation): keeps the SHA-256 of
     * its new token, replacing any earlier one; the first registration time is kept.
     */
    void register(String address, String token, Instant now) throws IOException;

    // ---- guests, tokens and aliases ----

    /** The guest record of {@code address}, if it signed up or has a plugin. */
    Optional<Guest> guest(String address) throws IOException;

    /** The address whose current token this is (compared in constant time); empty when none is. */
    Optional<String> addressOfToken(String token) throws IOException;

    /** Deletes the guest's token; true when there was one. */
    boolean revokeToken(String address) throws IOException;

    /**
     * Sets the other addresses that are the guest's own (aliases), replacing the earlier
     * ones. The guest record is created if there was none.
     */
    void setAliases(String address, List<String> aliases) throws IOException;

    /**
     * The addresses that are {@code recipient}'s: the recipient itself first, then its
     * declared aliases (RFC 5230 §4.5 "was I addressed?" compares the mail's recipients with
     * these).
     */
    List<String> addressesOf(String recipient) throws IOException;

    // ---- plugin versions ----

    /** Every version of the guest's plugin kept, oldest first. */
    List<VersionRecord> versions(String address) throws IOException;

    /** Version {@code n}'s record, if it is kept. */
    Optional<VersionRecord> version(String address, int n) throws IOException;

    /** The bytes of version {@code n}, if it is kept. */
    Optional<byte[]> versionBytes(String address, int n) throws IOException;

    /** Which plugin is active: its version (null when no kept version matches) and digest (null: none). */
    ActiveVersion active(String address) throws IOException;

    /** {@link #push(String, byte[], List, Instant, String, List, int)} with no attachments. */
    default PushResult push(String address, byte[] wasm, Instant pushed, String by, List<SimulationSummary> simulations,
            int keep) throws IOException {
        return push(address, wasm, List.of(), pushed, by, simulations, keep);
    }

    /**
     * Makes {@code wasm} the guest's active plugin as a new version, with the files the author
     * pushed with it ({@code attachments}, kept and pruned with the version), all or nothing,
     * and prunes the oldest versions beyond {@code keep} (never the new one). When it is the
     * active plugin already, with the same attachments, nothing changes and the result says so.
     */
    PushResult push(String address, byte[] wasm, List<Attachment> attachments, Instant pushed, String by,
            List<SimulationSummary> simulations, int keep) throws IOException;

    /** The files kept with version {@code n}, ordered by name; empty when none (or it is not kept). */
    List<Attachment> attachments(String address, int n) throws IOException;

    /** Makes kept version {@code n} active again, if its digest is still {@code sha256}; false when it is not kept. */
    boolean activate(String address, int n, String sha256) throws IOException;

    /** Removes the active plugin (the versions stay); returns what was active. */
    ActiveVersion deactivate(String address) throws IOException;

    // ---- audit trail ----

    /** Appends one event (push, rejection, rollback, removal, revocation) to the guest's trail. */
    void audit(String address, Map<String, Object> event) throws IOException;

    /** The guest's trail, oldest first. */
    List<Map<String, Object>> auditTrail(String address) throws IOException;

    // ---- the web console ----

    /** How many guests have a record. */
    int guestCount() throws IOException;

    /** The guests with a record, ordered by address (without case): {@code limit} after skipping {@code skip}. */
    List<Guest> guests(int skip, int limit) throws IOException;

    /**
     * Keeps a one-time sign-in code for {@code address} (the link in its invitation), valid
     * for {@code lifetime} from {@code now}; only the code's SHA-256 is stored. Expired codes
     * are forgotten on the way.
     */
    void saveSignInCode(String address, String code, Instant now, Duration lifetime) throws IOException;

    /**
     * The address of an unexpired sign-in code, using the code up: of two calls with one code,
     * even at once and from two servers, at most one finds it.
     */
    Optional<String> useSignInCode(String code, Instant now) throws IOException;

    /** Adds one line to the guest's recent mail: what the filter or the daemon did with a mail. */
    void recordMail(String address, MailRecord mail) throws IOException;

    /** The guest's recent mail, newest first: {@code limit} records after skipping {@code skip}. */
    List<MailRecord> recentMail(String address, int skip, int limit) throws IOException;

    /** Where the store is, for messages and logs (never with a password). */
    String describe();

    @Override
    void close();

    /** The two rate-limit ledgers of an address. */
    enum Ledger {
        /** Replies the address's plugin sent, by sender. */
        REPLIES("replies"),
        /** Invitations the signup address sent, by guest. */
        INVITATIONS("invitations");

        private final String id;

        Ledger(String id) {
            this.id = id;
        }

        /** Its name in the store (file {@code <id>.log}, column value). */
        public String id() {
            return id;
        }
    }

    /** The result of {@link #claim}. */
    interface LedgerClaim {
        /** Whether this delivery may send; false: an answer went out within the period. */
        boolean granted();

        /** When the earlier answer within the period went out (when not granted). */
        Optional<Instant> lastSent();

        /** Gives a granted claim back (the send failed): the next delivery may send. */
        void release() throws IOException;
    }

    /**
     * A guest's record.
     *
     * @param address the address as it signed up (or was pushed for)
     * @param registered when it first signed up; null when it never did (an admin push)
     * @param invited when its last invitation went out; null when none did
     * @param aliases the other addresses it declared its own
     */
    record Guest(String address, Instant registered, Instant invited, List<String> aliases) {
        public Guest {
            aliases = List.copyOf(aliases);
        }
    }

    /**
     * One accepted version.
     *
     * @param version its number, from 1; numbers only grow, also after pruning
     * @param sha256 lower-case hex SHA-256 of its bytes
     * @param size its size in bytes
     * @param pushed when it was accepted (ISO-8601, UTC)
     * @param by who pushed it: {@code guest} (with the guest's token) or {@code admin}
     * @param simulations how each simulation went when it was accepted
     */
    record VersionRecord(int version, String sha256, long size, String pushed, String by,
            List<SimulationSummary> simulations) {
        public VersionRecord {
            simulations = simulations == null ? List.of() : List.copyOf(simulations);
        }
    }

    /**
     * What the filter (or the daemon) did with one mail to a guest, as the recent-mail page shows it.
     *
     * @param time when it was decided
     * @param sender the envelope sender
     * @param subject the Subject header as decoded; null when there was none
     * @param plugin the first 12 hex digits of the plugin's SHA-256
     * @param code what the plugin's {@code onEmail} returned; null when it failed
     * @param outcome delivered, replied, reply suppressed, dropped, bounced, failed or deferred
     *     (comma-separated when several apply)
     * @param detail why: the rule that suppressed the reply, the failure; null for none
     * @param pluginMicros the plugin's wall time
     */
    record MailRecord(Instant time, String sender, String subject, String plugin, Integer code, String outcome,
            String detail, long pluginMicros) {}

    /**
     * A file an author pushed with a version, kept with it: their own simulation (a test
     * module), the mock host their simulations use, or mail test cases.
     *
     * @param name its file name: 1 to 100 of {@code A-Z a-z 0-9 . _ -}, not starting with a dot;
     *     unique within a version
     * @param kind one of {@link #KINDS}
     * @param bytes its content
     */
    record Attachment(String name, String kind, byte[] bytes) {
        public static final String SIMULATION = "simulation";
        public static final String MOCK_HOST = "mock-host";
        public static final String CASES = "cases";
        public static final List<String> KINDS = List.of(SIMULATION, MOCK_HOST, CASES);
        private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

        public Attachment {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a file name the store keeps (1 to 100 of "
                        + "A-Z a-z 0-9 . _ -, not starting with a dot)");
            }
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("'" + kind + "' is not a kind of attachment (" + KINDS + ")");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** Lower-case hex SHA-256 of its bytes. */
        public String sha256() {
            return Digests.sha256Hex(bytes);
        }

        /** Same name, kind and bytes. */
        public boolean sameAs(Attachment other) {
            return name.equals(other.name) && kind.equals(other.kind) && java.util.Arrays.equals(bytes, other.bytes);
        }

        /** Whether two lists hold the same files (in any order). */
        public static boolean same(List<Attachment> a, List<Attachment> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Attachment x : a) {
                if (b.stream().noneMatch(x::sameAs)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A simulation's counts, as kept with a version. */
    record SimulationSummary(String name, int passed, int failed, long millis) {}

    /** The active plugin: version null when no kept version matches; sha256 null when none is active. */
    record ActiveVersion(Integer version, String sha256) {
        public static final ActiveVersion NONE = new ActiveVersion(null, null);

        public boolean any() {
            return sha256 != null;
        }
    }

    /**
     * What a push did.
     *
     * @param record the version now active (the earlier one when unchanged)
     * @param unchanged the plugin was the active one already: nothing was written
     * @param pruned the versions deleted to keep at most {@code keep}
     */
    record PushResult(VersionRecord record, boolean unchanged, List<Integer> pruned) {
        public PushResult {
            pruned = List.copyOf(pruned);
        }
    }
}

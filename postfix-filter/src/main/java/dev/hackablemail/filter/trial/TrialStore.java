package dev.hackablemail.filter.trial;

import dev.hackablemail.store.GuestStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guest store as a trial sees it: read only. The plugin on trial stands in for the
 * recipient's active one; a ledger claim is answered from {@link GuestStore#answeredWithin}
 * (a reply the ledger would suppress is reported as such) and never written; a signup's
 * registration is not kept. Without a store ({@code null}), the recipient has no aliases and
 * the ledgers are empty. Closing it leaves the caller's store open.
 */
final class TrialStore implements GuestStore {

    private final GuestStore store;
    private final String recipient;
    private final byte[] plugin;

    /**
     * @param store the real store, read only; null for none
     * @param plugin the plugin on trial for {@code recipient}; null: the recipient's active plugin in {@code store}
     */
    TrialStore(GuestStore store, String recipient, byte[] plugin) {
        this.store = store;
        this.recipient = recipient;
        this.plugin = plugin;
    }

    @Override
    public Optional<byte[]> activePlugin(String address) throws IOException {
        if (plugin != null && address.equalsIgnoreCase(recipient)) {
            return Optional.of(plugin);
        }
        return store == null ? Optional.empty() : store.activePlugin(address);
    }

    @Override
    public LedgerClaim claim(String address, Ledger ledger, String other, Duration period, Instant now)
            throws IOException {
        Optional<Instant> last = answeredWithin(address, ledger, other, period, now);
        return new LedgerClaim() {
            @Override
            public boolean granted() {
                return last.isEmpty();
            }

            @Override
            public Optional<Instant> lastSent() {
                return last;
            }

            @Override
            public void release() {
                // nothing was claimed
            }
        };
    }

    @Override
    public Optional<Instant> answeredWithin(String address, Ledger ledger, String other, Duration period, Instant now)
            throws IOException {
        return store == null ? Optional.empty() : store.answeredWithin(address, ledger, other, period, now);
    }

    @Override
    public void register(String address, String token, Instant now) {
        // a trial keeps nothing
    }

    @Override
    public Optional<Guest> guest(String address) throws IOException {
        return store == null ? Optional.empty() : store.guest(address);
    }

    @Override
    public List<String> addressesOf(String address) throws IOException {
        return store == null ? List.of(address) : store.addressesOf(address);
    }

    @Override
    public String describe() {
        return store == null ? "(no store)" : store.describe() + " (read only)";
    }

    @Override
    public void close() {
        // the caller's store stays open
    }

    @Override
    public void saveSignInCode(String address, String code, Instant now, Duration lifetime) {
        // a trial's invitation is shown, never sent: its sign-in link need not work
    }

    @Override
    public void recordMail(String address, MailRecord mail) {
        // a trial is not a decision on a mail: the guest's recent mail stays as it is
    }

    // ---- not used in handling a mail; a trial never changes anything ----

    @Override
    public Optional<String> addressOfToken(String token) {
        throw readOnly();
    }

    @Override
    public boolean revokeToken(String address) {
        throw readOnly();
    }

    @Override
    public void setAliases(String address, List<String> aliases) {
        throw readOnly();
    }

    @Override
    public List<VersionRecord> versions(String address) {
        throw readOnly();
    }

    @Override
    public Optional<VersionRecord> version(String address, int n) {
        throw readOnly();
    }

    @Override
    public Optional<byte[]> versionBytes(String address, int n) {
        throw readOnly();
    }

    @Override
    public ActiveVersion active(String address) {
        throw readOnly();
    }

    @Override
    public PushResult push(String address, byte[] wasm, List<Attachment> attachments, Instant pushed, String by,
            List<SimulationSummary> simulations, int keep) {
        throw readOnly();
    }

    @Override
    public List<Attachment> attachments(String address, int n) {
        throw readOnly();
    }

    @Override
    public boolean activate(String address, int n, String sha256) {
        throw readOnly();
    }

    @Override
    public ActiveVersion deactivate(String address) {
        throw readOnly();
    }

    @Override
    public void audit(String address, Map<String, Object> event) {
        throw readOnly();
    }

    /** Read, never written: a signup's invitation period depends on a revocation in it. */
    @Override
    public List<Map<String, Object>> auditTrail(String address) throws IOException {
        return store == null ? List.of() : store.auditTrail(address);
    }

    @Override
    public int guestCount() {
        throw readOnly();
    }

    @Override
    public List<Guest> guests(int skip, int limit) {
        throw readOnly();
    }

    @Override
    public Optional<String> useSignInCode(String code, Instant now) {
        throw readOnly();
    }

    @Override
    public List<MailRecord> recentMail(String address, int skip, int limit) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a trial does not use this part of the store");
    }
}

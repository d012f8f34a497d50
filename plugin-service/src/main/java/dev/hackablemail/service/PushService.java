package dev.hackablemail.service;

import dev.hackablemail.runner.push.PushAnswer;
import dev.hackablemail.runner.push.PushAnswer.Aliases;
import dev.hackablemail.runner.push.PushAnswer.Check;
import dev.hackablemail.runner.push.PushAnswer.Failure;
import dev.hackablemail.runner.push.PushAnswer.GateAnswer;
import dev.hackablemail.runner.push.PushAnswer.RemoveAnswer;
import dev.hackablemail.runner.push.PushAnswer.RevokeAnswer;
import dev.hackablemail.runner.push.PushAnswer.Simulation;
import dev.hackablemail.runner.push.PushAnswer.Version;
import dev.hackablemail.runner.push.PushAnswer.VersionList;
import dev.hackablemail.store.Digests;
import dev.hackablemail.store.GuestKeys;
import dev.hackablemail.store.GuestStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes, rollbacks, removals and listings of guests' plugins: the one implementation
 * behind the HTTP API and the admin command. Nothing becomes a guest's active plugin
 * without passing the {@link PluginGate} first, rollbacks included (the simulations may
 * have changed since the version was pushed). The store ({@link GuestStore}) makes each
 * activation all or nothing.
 *
 * <p>Every answer is a {@link Response}: an HTTP status and a {@link PushAnswer}, which the
 * API sends as JSON and the admin command prints. Requests the service refuses outright (bad input,
 * unknown version, too large, too busy) are {@link ApiException}s.
 */
public final class PushService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PushService.class);

    /** Who asked: the guest with their token, or the admin on the server. */
    public static final String BY_GUEST = "guest";
    public static final String BY_ADMIN = "admin";

    /** An answer: the HTTP status and the body. */
    public record Response(int status, PushAnswer body) {}

    private final ServiceConfig config;
    private final PluginGate gate;
    private final Clock clock;
    private final GuestStore store;
    private final Semaphore slots;
    private final Map<String, Boolean> busyGuests = new ConcurrentHashMap<>();

    /** A service on the configured store, opened with a connection pool; closing the service closes it. */
    public PushService(ServiceConfig config, PluginGate gate, Clock clock) throws IOException {
        this(config, config.store().open(true), gate, clock);
    }

    public PushService(ServiceConfig config, GuestStore store, PluginGate gate, Clock clock) {
        this.config = config;
        this.gate = gate;
        this.clock = clock;
        this.store = store;
        this.slots = new Semaphore(config.maxConcurrentPushes());
    }

    @Override
    public void close() {
        store.close();
    }

    public ServiceConfig config() {
        return config;
    }

    /** The guest store, for the web console's pages (what the push API does goes through the methods here). */
    public GuestStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** A permit to run the gate for one guest; closing it gives it back. */
    public final class Slot implements AutoCloseable {
        private final String key;
        private boolean open = true;

        private Slot(String key) {
            this.key = key;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                slots.release();
                busyGuests.remove(key);
            }
        }
    }

    /**
     * Takes one of the {@code max_concurrent_pushes} permits for {@code address}, without
     * waiting. A guest has one push (or rollback) checked at a time, so one guest cannot take
     * every permit.
     *
     * @throws ApiException 429 when the guest has a push being checked, or all permits are taken
     */
    public Slot slot(String address) throws ApiException {
        String key = GuestKeys.of(address);
        if (busyGuests.putIfAbsent(key, Boolean.TRUE) != null) {
            throw ApiException.busy("a push or rollback of " + address + "'s plugin is being checked; wait for its "
                    + "answer, then try again");
        }
        if (!slots.tryAcquire()) {
            busyGuests.remove(key);
            throw ApiException.busy("the server is checking " + config.maxConcurrentPushes()
                    + " plugins already (max_concurrent_pushes); try again in a few seconds");
        }
        return new Slot(key);
    }

    /** The address whose current token this is. */
    public Optional<String> authenticate(String token) throws IOException {
        return store.addressOfToken(token);
    }

    /** The guest's declared aliases (the other addresses that are theirs). */
    public Response aliases(String address) throws IOException, ApiException {
        checkAddress(address);
        List<String> aliases = store.addressesOf(address).stream().skip(1).collect(Collectors.toList());
        return new Response(200, new Aliases(address, aliases));
    }

    /** Replaces the guest's aliases; each must be a mail address, none the guest's own. */
    public Response setAliases(String address, List<String> aliases, String by) throws IOException, ApiException {
        checkAddress(address);
        if (aliases.size() > MAX_ALIASES) {
            throw ApiException.badRequest("at most " + MAX_ALIASES + " aliases, got " + aliases.size());
        }
        List<String> clean = new ArrayList<>();
        for (String alias : aliases) {
            checkAddress(alias);
            if (GuestKeys.same(alias, address)) {
                throw ApiException.badRequest("'" + alias + "' is the guest's own address, not an alias");
            }
            if (clean.stream().noneMatch(a -> GuestKeys.same(a, alias))) {
                clean.add(alias);
            }
        }
        store.setAliases(address, clean);
        Map<String, Object> event = event("aliases", by, "set", null, null);
        event.put("aliases", clean);
        audit(address, event);
        LOG.info("aliases for {} by {}: {}", address, by, clean);
        return aliases(address);
    }

    /** How an author runs the server's own checks (the invitation and the README say it too). */
    static final String LOCAL_CHECK = "xtp-sim plugin checks --server URL, then the commands it prints";

    /** Each runs up to its run_timeout at every push and rollback. */
    static final int MAX_SIMULATIONS = 10;

    /** More would not be aliases but a list. */
    static final int MAX_ALIASES = 100;

    /**
     * Checks a plugin and, if it passes, makes it the guest's active plugin as a new version.
     *
     * @return 201 accepted (200 when it is the active plugin already), or 422 rejected with
     *     the reasons; the active plugin is unchanged then
     * @throws ApiException 400 for an empty upload, 413 for one over {@code max_upload}
     */
    public Response push(String address, byte[] wasm, String by) throws IOException, ApiException {
        return push(address, PluginGate.Candidate.of(wasm), by);
    }

    /**
     * Checks a plugin with the files its author pushed with it (their own simulations, a mock
     * host) and, if it passes, makes it the guest's active plugin as a new version, the files
     * kept with it (a rollback runs them again).
     *
     * @throws ApiException 400 for an empty upload or more than {@value #MAX_SIMULATIONS} simulations
     *     and cases files, 413 for one over {@code max_upload}
     */
    public Response push(String address, PluginGate.Candidate candidate, String by) throws IOException, ApiException {
        byte[] wasm = candidate.wasm();
        if (wasm.length == 0) {
            throw ApiException.badRequest("the upload is empty: send the plugin's bytes (a .wasm file)");
        }
        long total = wasm.length + candidate.attachments().stream().mapToLong(a -> a.bytes().length).sum();
        if (total > config.maxUpload()) {
            throw ApiException.tooLarge(tooLarge(total));
        }
        if (candidate.attachments().stream().filter(a -> !a.kind().equals(GuestStore.Attachment.MOCK_HOST)).count()
                > MAX_SIMULATIONS) {
            throw ApiException.badRequest("at most " + MAX_SIMULATIONS + " simulations and cases files may be pushed "
                    + "with a plugin");
        }
        if (candidate.attachments().stream().filter(a -> a.kind().equals(GuestStore.Attachment.MOCK_HOST)).count() > 1) {
            throw ApiException.badRequest("at most one mock host may be pushed (your simulations share it)");
        }
        long start = System.nanoTime();
        checkAddress(address);
        String sha256 = Digests.sha256Hex(wasm);
        GateReport report = gate.check(candidate);
        if (!report.passed()) {
            return rejected(PushAnswer.PUSH, address, by, null, sha256, wasm.length, report, start);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        GuestStore.PushResult result = store.push(address, wasm, candidate.attachments(), now, by, summaries(report),
                config.keepVersions());
        int version = result.record().version();
        if (result.unchanged()) {
            GateAnswer body = accepted(PushAnswer.PUSH, address, version, sha256, wasm.length, true, report,
                    List.of(), start);
            log("push", address, by, "unchanged", version, sha256, null);
            LOG.info("push for {} by {}: identical to the active version {}, checked in {} ms", address, by,
                    version, millis(start));
            return new Response(200, body);
        }
        GateAnswer body = accepted(PushAnswer.PUSH, address, version, sha256, wasm.length, false, report,
                result.pruned(), start);
        log("push", address, by, "accepted", version, sha256, null);
        LOG.info("push for {} by {}: version {} is active ({} bytes, sha256 {}), in {} ms (check {} ms, "
                + "simulations {} ms)", address, by, version, wasm.length, shortSha(sha256),
                millis(start), report.checkMillis(), report.simulationMillis());
        return new Response(201, body);
    }

    /**
     * Makes an earlier version active again, after it passes today's gate.
     *
     * @throws ApiException 404 when the version is not kept
     */
    public Response rollback(String address, int version, String by) throws IOException, ApiException {
        long start = System.nanoTime();
        checkAddress(address);
        GuestStore.VersionRecord record = kept(address, version);
        byte[] wasm = store.versionBytes(address, version).orElseThrow(() -> notKept(address, version));
        if (!Digests.sha256Hex(wasm).equals(record.sha256())) {
            throw new IOException("version " + version + " of " + address + "'s plugin is damaged: its bytes no longer "
                    + "match its recorded SHA-256");
        }
        GuestStore.ActiveVersion before = store.active(address);
        if (before.version() != null && before.version() == version && record.sha256().equals(before.sha256())) {
            return new Response(200, accepted(PushAnswer.ROLLBACK, address, version, record.sha256(), wasm.length,
                    true, null, List.of(), start));
        }
        // the files pushed with that version (the author's simulations) run again, with today's checks
        GateReport report = gate.check(new PluginGate.Candidate("plugin-v" + version + ".wasm", wasm,
                store.attachments(address, version)));
        if (!report.passed()) {
            return rejected(PushAnswer.ROLLBACK, address, by, version, record.sha256(), wasm.length, report, start);
        }
        if (!store.activate(address, version, record.sha256())) {
            throw notKept(address, version); // pruned meanwhile
        }
        log("rollback", address, by, "accepted", version, record.sha256(), null);
        LOG.info("rollback for {} by {}: version {} is active again, in {} ms", address, by, version,
                millis(start));
        return new Response(200, accepted(PushAnswer.ROLLBACK, address, version, record.sha256(), wasm.length,
                false, report, List.of(), start));
    }

    /** Removes the active plugin: mail to the address passes through unchanged. The versions stay. */
    public Response remove(String address, String by) throws IOException, ApiException {
        checkAddress(address);
        GuestStore.ActiveVersion before = store.deactivate(address);
        if (before.any()) {
            log("remove", address, by, "removed", before.version(), before.sha256(), null);
            LOG.info("remove for {} by {}: no plugin is active; mail passes through", address, by);
        }
        return new Response(200, new RemoveAnswer(address, before.any(), before.version()));
    }

    /** The kept versions, which is active, and how each fared in the simulations. */
    public Response list(String address) throws IOException, ApiException {
        checkAddress(address);
        GuestStore.ActiveVersion active = store.active(address);
        String note = active.sha256() != null && active.version() == null
                ? "the active plugin.wasm was not installed by a push (it matches no kept version)" : null;
        List<Version> versions = new ArrayList<>();
        for (GuestStore.VersionRecord r : store.versions(address)) {
            versions.add(new Version(r.version(), r.sha256(), r.size(), r.pushed(), r.by(),
                    active.version() != null && active.version() == r.version(),
                    r.simulations().stream().map(s -> new PushAnswer.SimulationSummary(s.name(), s.passed(),
                            s.failed(), s.millis())).collect(Collectors.toList())));
        }
        return new Response(200, new VersionList(address, active.version(), active.sha256(), note, versions));
    }

    /** The bytes of a kept version (for the guest to download). */
    public byte[] versionBytes(String address, int version) throws IOException, ApiException {
        checkAddress(address);
        kept(address, version);
        return store.versionBytes(address, version).orElseThrow(() -> notKept(address, version));
    }

    /** Revokes the guest's token (admin only): it stops working at once. */
    public Response revoke(String address, String by) throws IOException, ApiException {
        checkAddress(address);
        boolean revoked = store.revokeToken(address);
        if (revoked) {
            log("revoke", address, by, "revoked", null, null, null);
        }
        LOG.info("revoke for {} by {}: {}", address, by, revoked ? "the token no longer works" : "there was no token");
        return new Response(200, new RevokeAnswer(address, revoked));
    }

    private GuestStore.VersionRecord kept(String address, int version) throws IOException, ApiException {
        Optional<GuestStore.VersionRecord> record = version < 1 ? Optional.empty() : store.version(address, version);
        if (record.isEmpty()) {
            throw notKept(address, version);
        }
        return record.get();
    }

    private ApiException notKept(String address, int version) {
        String known;
        try {
            known = store.versions(address).stream().map(r -> Integer.toString(r.version()))
                    .collect(Collectors.joining(", "));
        } catch (IOException e) {
            known = "";
        }
        return ApiException.notFound("no version " + version + " of " + address + "'s plugin"
                + (known.isEmpty() ? " (no versions kept)" : " (versions kept: " + known + ")"));
    }

    private static void checkAddress(String address) throws ApiException {
        if (address == null || address.isBlank() || address.length() > 320 || !address.contains("@")
                || address.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw ApiException.badRequest("'" + address + "' is not a mail address");
        }
    }

    /** Which of the author's own checks failed: "your own simulations", "your mail test cases" or both. */
    private static String yours(GateReport report) {
        boolean sims = report.simulations().stream()
                .anyMatch(s -> s.kind() == GateReport.Kind.AUTHOR && !s.successful());
        boolean cases = report.simulations().stream()
                .anyMatch(s -> s.kind() == GateReport.Kind.CASES && !s.successful());
        return sims && cases ? "your own simulations and mail test cases"
                : cases ? "your mail test cases" : "your own simulations";
    }

    private Response rejected(String action, String address, String by, Integer version, String sha256, long size,
            GateReport report, long start) throws IOException {
        GuestStore.ActiveVersion current = store.active(address);
        String what = action.equals(PushAnswer.ROLLBACK) ? "version " + version : "the plugin";
        String kept = current.sha256() == null ? "no plugin is active (mail passes through)"
                : current.version() == null ? "the active plugin is unchanged"
                : "version " + current.version() + " stays active";
        String error = what + " was rejected by " + (!report.problems().isEmpty() ? "the server's schema check"
                : report.serverChecksPassed() ? yours(report) : "the server's checks") + "; " + kept
                + ". Each reason names the check; run the same checks before pushing: " + LOCAL_CHECK;
        GateAnswer body = new GateAnswer(PushAnswer.REJECTED, action, address, error, version, sha256, size, null,
                current.version(), report.reasons(), check(report), simulations(report), report.simulationMillis(),
                List.of(), millis(start));
        List<String> firstReasons = report.reasons().stream().limit(5).collect(Collectors.toList());
        log(action, address, by, "rejected", version, sha256, firstReasons);
        LOG.info("{} for {} by {}: rejected in {} ms: {}", action, address, by, millis(start),
                String.join("; ", firstReasons));
        return new Response(422, body);
    }

    private static GateAnswer accepted(String action, String address, int version, String sha256, long size,
            boolean unchanged, GateReport report, List<Integer> pruned, long start) {
        return new GateAnswer(PushAnswer.ACCEPTED, action, address, null, version, sha256, size, unchanged, version,
                List.of(), report == null ? null : check(report), report == null ? null : simulations(report),
                report == null ? null : report.simulationMillis(), pruned, millis(start));
    }

    private static Check check(GateReport report) {
        return new Check(report.problems().isEmpty(), report.problems(), report.checkMillis());
    }

    private static List<Simulation> simulations(GateReport report) {
        List<Simulation> list = new ArrayList<>();
        for (GateReport.SimulationOutcome s : report.simulations()) {
            List<Failure> failures = s.failures().stream()
                    .map(f -> new Failure(f.group(), f.assertion(), f.reason())).collect(Collectors.toList());
            list.add(new Simulation(s.name(), s.successful(), s.passed(), s.failed(), s.testReturnCode(), s.error(),
                    s.millis(), failures, s.kind().id()));
        }
        return list;
    }

    private static List<GuestStore.SimulationSummary> summaries(GateReport report) {
        List<GuestStore.SimulationSummary> list = new ArrayList<>();
        for (GateReport.SimulationOutcome s : report.simulations()) {
            list.add(new GuestStore.SimulationSummary(s.name(), s.passed(), s.failed(), s.millis()));
        }
        return list;
    }

    private void log(String action, String address, String by, String result, Integer version, String sha256,
            List<String> reasons) {
        Map<String, Object> event = event(action, by, result, version, sha256);
        if (reasons != null) {
            event.put("reasons", reasons);
        }
        audit(address, event);
    }

    private Map<String, Object> event(String action, String by, String result, Integer version, String sha256) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("time", Instant.now(clock).toString());
        event.put("action", action);
        event.put("by", by);
        event.put("result", result);
        event.put("version", version);
        event.put("sha256", sha256);
        return event;
    }

    /** The audit trail is kept as well as it can be: a failure to write it does not undo the action. */
    private void audit(String address, Map<String, Object> event) {
        try {
            store.audit(address, event);
        } catch (IOException e) {
            LOG.warn("{}: history not written: {}", address, e.toString());
        }
    }

    String tooLarge(long size) {
        return "the plugin is " + size + " bytes; this server takes at most " + config.maxUpload()
                + " bytes (max_upload)";
    }

    private static String shortSha(String sha256) {
        return sha256.substring(0, 12);
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

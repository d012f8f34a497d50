package dev.hackablemail.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hackablemail.filter.GuestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 * behind the HTTP API and the admin command. Nothing reaches {@code plugin.wasm} without
 * passing the {@link PluginGate} first, rollbacks included (the simulations may have
 * changed since the version was pushed).
 *
 * <p>Every answer is a {@link Response}: an HTTP status and a JSON body, which the API sends
 * as is and the admin command prints. Requests the service refuses outright (bad input,
 * unknown version, too large, too busy) are {@link ApiException}s.
 */
public final class PushService {

    private static final Logger LOG = LoggerFactory.getLogger(PushService.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Who asked: the guest with their token, or the admin on the server. */
    public static final String BY_GUEST = "guest";
    public static final String BY_ADMIN = "admin";

    /** An answer: the HTTP status and the JSON body. */
    public record Response(int status, ObjectNode body) {}

    private final ServiceConfig config;
    private final PluginGate gate;
    private final Clock clock;
    private final GuestStore store;
    private final GuestTokens tokens;
    private final Semaphore slots;
    private final Map<String, Boolean> busyGuests = new ConcurrentHashMap<>();

    public PushService(ServiceConfig config, PluginGate gate, Clock clock) {
        this.config = config;
        this.gate = gate;
        this.clock = clock;
        this.store = new GuestStore(config.store());
        this.tokens = new GuestTokens(store);
        this.slots = new Semaphore(config.maxConcurrentPushes());
    }

    public ServiceConfig config() {
        return config;
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
        String key = GuestStore.guestKey(address);
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
        return tokens.addressOf(token);
    }

    /**
     * Checks a plugin and, if it passes, makes it the guest's active plugin as a new version.
     *
     * @return 201 accepted (200 when it is the active plugin already), or 422 rejected with
     *     the reasons; the active plugin is unchanged then
     * @throws ApiException 400 for an empty upload, 413 for one over {@code max_upload}
     */
    @SuppressWarnings("try") // the lock is held for the block
    public Response push(String address, byte[] wasm, String by) throws IOException, ApiException {
        if (wasm.length == 0) {
            throw ApiException.badRequest("the upload is empty: send the plugin's bytes (a .wasm file)");
        }
        if (wasm.length > config.maxUpload()) {
            throw ApiException.tooLarge(tooLarge(wasm.length));
        }
        long start = System.nanoTime();
        Path guestDir = guestDir(address);
        PluginVersions versions = new PluginVersions(guestDir);
        String sha256 = GuestTokens.sha256Hex(wasm);
        Path candidate = versions.newCandidate(wasm);
        try {
            GateReport report = gate.check(candidate, wasm);
            if (!report.passed()) {
                return rejected("push", address, by, null, sha256, wasm.length, report, versions, guestDir, start);
            }
            try (PluginVersions.Lock lock = versions.lock()) {
                versions.sweep();
                Active current = active(versions, guestDir);
                if (current.version() != null && sha256.equals(current.sha256())) {
                    ObjectNode body = accepted("push", address, current.version(), sha256, wasm.length, true, report,
                            start);
                    log(versions, "push", address, by, "unchanged", current.version(), sha256, null);
                    LOG.info("push for {} by {}: identical to the active version {}, checked in {} ms", address, by,
                            current.version(), millis(start));
                    return new Response(200, body);
                }
                Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                PluginVersions.VersionRecord record = versions.add(candidate, sha256, wasm.length, now, by,
                        summaries(report));
                activate(guestDir, wasm);
                versions.setActive(record.version(), sha256);
                List<Integer> pruned = versions.prune(config.keepVersions(), record.version());
                ObjectNode body = accepted("push", address, record.version(), sha256, wasm.length, false, report,
                        start);
                if (!pruned.isEmpty()) {
                    ArrayNode p = body.putArray("pruned");
                    pruned.forEach(p::add);
                }
                log(versions, "push", address, by, "accepted", record.version(), sha256, null);
                LOG.info("push for {} by {}: version {} is active ({} bytes, sha256 {}), in {} ms (check {} ms, "
                        + "simulations {} ms)", address, by, record.version(), wasm.length, shortSha(sha256),
                        millis(start), report.checkMillis(), report.simulationMillis());
                return new Response(201, body);
            }
        } finally {
            Files.deleteIfExists(candidate);
        }
    }

    /**
     * Makes an earlier version active again, after it passes today's gate.
     *
     * @throws ApiException 404 when the version is not kept
     */
    @SuppressWarnings("try") // the lock is held for the block
    public Response rollback(String address, int version, String by) throws IOException, ApiException {
        long start = System.nanoTime();
        Path guestDir = guestDir(address);
        PluginVersions versions = new PluginVersions(guestDir);
        PluginVersions.VersionRecord record = kept(versions, address, version);
        byte[] wasm = versions.bytes(version);
        if (!GuestTokens.sha256Hex(wasm).equals(record.sha256())) {
            throw new IOException("version " + version + " of " + address + "'s plugin is damaged: its bytes no longer "
                    + "match its recorded SHA-256");
        }
        Active before = active(versions, guestDir);
        if (before.version() != null && before.version() == version && record.sha256().equals(before.sha256())) {
            return new Response(200, accepted("rollback", address, version, record.sha256(), wasm.length, true, null,
                    start));
        }
        Path candidate = versions.newCandidate(wasm);
        try {
            GateReport report = gate.check(candidate, wasm);
            if (!report.passed()) {
                return rejected("rollback", address, by, version, record.sha256(), wasm.length, report, versions,
                        guestDir, start);
            }
            try (PluginVersions.Lock lock = versions.lock()) {
                kept(versions, address, version); // not pruned meanwhile
                activate(guestDir, wasm);
                versions.setActive(version, record.sha256());
                log(versions, "rollback", address, by, "accepted", version, record.sha256(), null);
            }
            LOG.info("rollback for {} by {}: version {} is active again, in {} ms", address, by, version,
                    millis(start));
            return new Response(200, accepted("rollback", address, version, record.sha256(), wasm.length, false,
                    report, start));
        } finally {
            Files.deleteIfExists(candidate);
        }
    }

    /** Removes the active plugin: mail to the address passes through unchanged. The versions stay. */
    @SuppressWarnings("try") // the lock is held for the block
    public Response remove(String address, String by) throws IOException, ApiException {
        Path guestDir = guestDir(address);
        PluginVersions versions = new PluginVersions(guestDir);
        ObjectNode body = NODES.objectNode();
        body.put("result", "removed");
        body.put("address", address);
        try (PluginVersions.Lock lock = versions.lock()) {
            Active before = active(versions, guestDir);
            boolean removed = AtomicFiles.delete(guestDir.resolve(GuestStore.PLUGIN_FILE));
            versions.clearActive();
            body.put("removed", removed);
            putNullable(body, "version", before.version());
            if (removed) {
                log(versions, "remove", address, by, "removed", before.version(), before.sha256(), null);
                LOG.info("remove for {} by {}: no plugin is active; mail passes through", address, by);
            }
        }
        return new Response(200, body);
    }

    /** The kept versions, which is active, and how each fared in the simulations. */
    public Response list(String address) throws IOException, ApiException {
        Path guestDir = guestDir(address);
        PluginVersions versions = new PluginVersions(guestDir);
        Active active = active(versions, guestDir);
        ObjectNode body = NODES.objectNode();
        body.put("address", address);
        putNullable(body, "active", active.version());
        body.put("activeSha256", active.sha256());
        if (active.sha256() != null && active.version() == null) {
            body.put("note", "the active plugin.wasm was not installed by a push (it matches no kept version)");
        }
        ArrayNode list = body.putArray("versions");
        for (PluginVersions.VersionRecord r : versions.list()) {
            ObjectNode v = list.addObject();
            v.put("version", r.version());
            v.put("sha256", r.sha256());
            v.put("size", r.size());
            v.put("pushed", r.pushed());
            v.put("by", r.by());
            v.put("active", active.version() != null && active.version() == r.version());
            ArrayNode sims = v.putArray("simulations");
            for (PluginVersions.SimulationSummary s : r.simulations()) {
                sims.addObject().put("name", s.name()).put("passed", s.passed()).put("failed", s.failed())
                        .put("millis", s.millis());
            }
        }
        return new Response(200, body);
    }

    /** The bytes of a kept version (for the guest to download). */
    public byte[] versionBytes(String address, int version) throws IOException, ApiException {
        PluginVersions versions = new PluginVersions(guestDir(address));
        kept(versions, address, version);
        return versions.bytes(version);
    }

    /** Revokes the guest's token (admin only): it stops working at once. */
    public Response revoke(String address, String by) throws IOException, ApiException {
        boolean revoked = tokens.revoke(address);
        if (revoked && Files.isDirectory(guestDir(address))) {
            log(new PluginVersions(guestDir(address)), "revoke", address, by, "revoked", null, null, null);
        }
        LOG.info("revoke for {} by {}: {}", address, by, revoked ? "the token no longer works" : "there was no token");
        ObjectNode body = NODES.objectNode();
        body.put("result", "revoked");
        body.put("address", address);
        body.put("revoked", revoked);
        return new Response(200, body);
    }

    /** The version in plugin.wasm, as far as the versions folder knows it. */
    record Active(Integer version, String sha256) {}

    private Active active(PluginVersions versions, Path guestDir) throws IOException {
        byte[] plugin;
        try {
            plugin = Files.readAllBytes(guestDir.resolve(GuestStore.PLUGIN_FILE));
        } catch (NoSuchFileException e) {
            return new Active(null, null);
        }
        String sha256 = GuestTokens.sha256Hex(plugin);
        Optional<PluginVersions.Active> marker = versions.active();
        if (marker.isPresent() && marker.get().sha256().equals(sha256)) {
            return new Active(marker.get().version(), sha256);
        }
        Integer match = null;
        for (PluginVersions.VersionRecord r : versions.list()) {
            if (r.sha256().equals(sha256)) {
                match = r.version();
            }
        }
        return new Active(match, sha256);
    }

    /** Replaces plugin.wasm atomically: a delivery reads the old plugin or the new one, whole. */
    private static void activate(Path guestDir, byte[] wasm) throws IOException {
        Files.createDirectories(guestDir);
        AtomicFiles.write(guestDir.resolve(GuestStore.PLUGIN_FILE), wasm);
    }

    private PluginVersions.VersionRecord kept(PluginVersions versions, String address, int version)
            throws IOException, ApiException {
        Optional<PluginVersions.VersionRecord> record = version < 1 ? Optional.empty() : versions.read(version);
        if (record.isEmpty()) {
            String known = versions.list().stream().map(r -> Integer.toString(r.version()))
                    .collect(Collectors.joining(", "));
            throw ApiException.notFound("no version " + version + " of " + address + "'s plugin"
                    + (known.isEmpty() ? " (no versions kept)" : " (versions kept: " + known + ")"));
        }
        return record.get();
    }

    private Path guestDir(String address) throws ApiException {
        if (address == null || address.isBlank() || address.length() > 320 || !address.contains("@")
                || address.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw ApiException.badRequest("'" + address + "' is not a mail address");
        }
        return store.guestDir(address);
    }

    private Response rejected(String action, String address, String by, Integer version, String sha256, long size,
            GateReport report, PluginVersions versions, Path guestDir, long start) throws IOException {
        Active current = active(versions, guestDir);
        ObjectNode body = NODES.objectNode();
        body.put("result", "rejected");
        body.put("action", action);
        body.put("address", address);
        String what = action.equals("rollback") ? "version " + version : "the plugin";
        String kept = current.sha256() == null ? "no plugin is active (mail passes through)"
                : current.version() == null ? "the active plugin is unchanged"
                : "version " + current.version() + " stays active";
        body.put("error", what + " did not pass " + (report.problems().isEmpty()
                ? "its simulations" : "the schema check") + "; " + kept);
        putNullable(body, "version", version);
        body.put("sha256", sha256);
        body.put("size", size);
        putNullable(body, "active", current.version());
        ArrayNode reasons = body.putArray("reasons");
        report.reasons().forEach(reasons::add);
        gate(body, report);
        body.put("millis", millis(start));
        List<String> firstReasons = report.reasons().stream().limit(5).collect(Collectors.toList());
        log(versions, action, address, by, "rejected", version, sha256, firstReasons);
        LOG.info("{} for {} by {}: rejected in {} ms: {}", action, address, by, millis(start),
                String.join("; ", firstReasons));
        return new Response(422, body);
    }

    private ObjectNode accepted(String action, String address, int version, String sha256, long size,
            boolean unchanged, GateReport report, long start) {
        ObjectNode body = NODES.objectNode();
        body.put("result", "accepted");
        body.put("action", action);
        body.put("address", address);
        body.put("version", version);
        body.put("sha256", sha256);
        body.put("size", size);
        body.put("unchanged", unchanged);
        body.put("active", version);
        body.putArray("reasons");
        if (report != null) {
            gate(body, report);
        }
        body.put("millis", millis(start));
        return body;
    }

    private static void gate(ObjectNode body, GateReport report) {
        ObjectNode check = body.putObject("check");
        check.put("passed", report.problems().isEmpty());
        ArrayNode problems = check.putArray("problems");
        report.problems().forEach(problems::add);
        check.put("millis", report.checkMillis());
        ArrayNode sims = body.putArray("simulations");
        for (GateReport.SimulationOutcome s : report.simulations()) {
            ObjectNode o = sims.addObject();
            o.put("name", s.name());
            o.put("successful", s.successful());
            o.put("passed", s.passed());
            o.put("failed", s.failed());
            putNullable(o, "testReturnCode", s.testReturnCode());
            o.put("error", s.error());
            o.put("millis", s.millis());
            ArrayNode failures = o.putArray("failures");
            for (GateReport.Failure f : s.failures()) {
                failures.addObject().put("group", f.group()).put("assertion", f.assertion()).put("reason", f.reason());
            }
        }
        body.put("simulationMillis", report.simulationMillis());
    }

    private static List<PluginVersions.SimulationSummary> summaries(GateReport report) {
        List<PluginVersions.SimulationSummary> list = new ArrayList<>();
        for (GateReport.SimulationOutcome s : report.simulations()) {
            list.add(new PluginVersions.SimulationSummary(s.name(), s.passed(), s.failed(), s.millis()));
        }
        return list;
    }

    private void log(PluginVersions versions, String action, String address, String by, String result,
            Integer version, String sha256, List<String> reasons) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("time", Instant.now(clock).toString());
        event.put("action", action);
        event.put("by", by);
        event.put("result", result);
        event.put("version", version);
        event.put("sha256", sha256);
        if (reasons != null) {
            event.put("reasons", reasons);
        }
        try {
            versions.history(event);
        } catch (IOException e) {
            LOG.warn("{}: history not written: {}", address, e.toString());
        }
    }

    String tooLarge(long size) {
        return "the plugin is " + size + " bytes; this server takes at most " + config.maxUpload()
                + " bytes (max_upload)";
    }

    private static void putNullable(ObjectNode node, String field, Integer value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.intValue());
        }
    }

    private static String shortSha(String sha256) {
        return sha256.substring(0, 12);
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
